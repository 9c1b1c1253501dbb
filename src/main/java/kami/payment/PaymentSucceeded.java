package kami.payment;

import java.time.Instant;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * A channel confirmed that the payer paid. Published once per payment, in the transaction that records it;
 * listeners that run synchronously share that transaction, so nothing is acknowledged to the channel that was
 * not also recorded by them.
 *
 * @param orderNo the order number, or for a {@link PaymentPurpose#WALLET_TOP_UP} the top-up number
 * @param purpose what the payment is for; each listener handles only its own purposes
 * @param merchantId the merchant the money is for, as given in {@link NewPayment}; null for a payment for no
 *     merchant, and for payments created before Kami recorded it
 */
public record PaymentSucceeded(String paymentNo, String orderNo, Money amount, String channel,
        String channelTradeNo, Instant succeededAt, PaymentPurpose purpose, @Nullable Long merchantId) {

    /** A payment for no merchant. */
    public PaymentSucceeded(String paymentNo, String orderNo, Money amount, String channel, String channelTradeNo,
            Instant succeededAt, PaymentPurpose purpose) {
        this(paymentNo, orderNo, amount, channel, channelTradeNo, succeededAt, purpose, null);
    }
}
