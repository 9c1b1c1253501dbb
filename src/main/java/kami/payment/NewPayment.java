package kami.payment;

import java.time.Instant;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * A payment to collect. {@code orderNo} is the number of what is paid for: an order number, or for a wallet
 * top-up the top-up number (the field keeps its name because orders came first). {@code channel} names a channel
 * account; {@code method} one of its methods, or null for the account's first; {@code bank} the payer's bank,
 * required for a method with a bank choice and refused for any other. {@code returnUrl} is where the payer goes
 * back to after paying, and {@code expiresAt} when the payment stops being waited for. {@code merchantId} is the
 * merchant the money is for (an order's seller), or null when it is for no merchant (a wallet top-up); it comes
 * back with {@link PaymentSucceeded}, so that the payment's books need not look the merchant up.
 */
public record NewPayment(String orderNo, Money amount, String channel, @Nullable String method,
        @Nullable String bank, String returnUrl, Instant expiresAt, PaymentPurpose purpose,
        @Nullable Long merchantId) {

    /** A payment for no merchant. */
    public NewPayment(String orderNo, Money amount, String channel, @Nullable String method,
            @Nullable String bank, String returnUrl, Instant expiresAt, PaymentPurpose purpose) {
        this(orderNo, amount, channel, method, bank, returnUrl, expiresAt, purpose, null);
    }

    /** A payment for an order. */
    public NewPayment(String orderNo, Money amount, String channel, @Nullable String method, String returnUrl,
            Instant expiresAt) {
        this(orderNo, amount, channel, method, null, returnUrl, expiresAt, PaymentPurpose.ORDER);
    }

    /** A payment of a method without a bank choice. */
    public NewPayment(String orderNo, Money amount, String channel, @Nullable String method, String returnUrl,
            Instant expiresAt, PaymentPurpose purpose) {
        this(orderNo, amount, channel, method, null, returnUrl, expiresAt, purpose);
    }
}
