/**
 * Orders and their lifecycle: placing an order reserves its keys, payment moves it to paid, delivery to
 * delivered; unpaid orders expire and release their keys; buyers look orders up with a token.
 */
@NullMarked
@ApplicationModule(displayName = "Ordering", allowedDependencies = {"platform", "catalog", "inventory", "payment", "messaging"})
package kami.ordering;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
