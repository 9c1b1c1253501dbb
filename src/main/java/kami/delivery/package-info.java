/**
 * Turns paid orders into delivered keys exactly once: driven by {@code OrderPaid} events from the outbox, with a
 * sweeper that delivers and raises an alert for any paid order the events missed.
 */
@NullMarked
@ApplicationModule(displayName = "Delivery", allowedDependencies = {"platform", "ordering", "inventory"})
package kami.delivery;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
