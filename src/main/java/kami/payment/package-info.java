/**
 * Payments and their channels: payment orders (for orders and for wallet top-ups, see {@link
 * kami.payment.PaymentPurpose}), verified channel notifies with a journal of every notify, the built-in sandbox
 * channel, a simulated PSP that pays and notifies over real HTTP, and the built-in wallet channel, whose payments
 * Kami records itself when the wallet module has debited the payer's wallet.
 */
@NullMarked
@ApplicationModule(displayName = "Payment", allowedDependencies = {"platform", "messaging"})
package kami.payment;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
