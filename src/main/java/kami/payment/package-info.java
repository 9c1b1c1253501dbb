/**
 * Payments and their channels: payment orders, verified channel notifies with a journal of every notify,
 * and the built-in sandbox channel, a simulated PSP that pays and notifies over real HTTP.
 */
@NullMarked
@ApplicationModule(displayName = "Payment", allowedDependencies = "platform")
package kami.payment;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
