/**
 * Merchants and products with their prices. Stock figures come from the inventory module.
 */
@NullMarked
@ApplicationModule(displayName = "Catalog", allowedDependencies = "platform")
package kami.catalog;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
