/**
 * Turns paid orders into delivered keys exactly once: driven by {@code OrderPaid} messages from the messaging
 * outbox, with a sweeper that delivers and raises an alert for any paid order the messages missed.
 */
@NullMarked
@ApplicationModule(displayName = "Delivery", allowedDependencies = {"platform", "ordering", "inventory", "messaging"})
package kami.delivery;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
