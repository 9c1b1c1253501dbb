package kami.payment;

import java.time.Instant;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * A payment to collect for an order. {@code channel} names a channel account; {@code method} one of its methods,
 * or null for the account's first. {@code returnUrl} is where the payer goes back to after paying, and
 * {@code expiresAt} when the order stops waiting for the payment.
 */
public record NewPayment(String orderNo, Money amount, String channel, @Nullable String method, String returnUrl,
        Instant expiresAt) {
}
