/**
 * Merchant webhooks: Kami's order, payment and refund events sent to the merchant's systems, signed like
 * Stripe's ({@code Kami-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}), from an
 * outbox written in the business transaction, retried for more than a day, and resendable by operators.
 */
@NullMarked
@ApplicationModule(displayName = "Webhooks", allowedDependencies = {"platform", "ordering", "payment"})
package kami.webhook;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
