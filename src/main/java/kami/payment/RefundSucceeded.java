package kami.payment;

import java.time.Instant;
import kami.platform.Money;

/**
 * The money of a refund went back to the payer; {@code fullyRefunded} when nothing of the payment is left.
 *
 * @param orderNo the order number, or for a {@link PaymentPurpose#WALLET_TOP_UP} the top-up number
 * @param purpose what the refunded payment was for
 */
public record RefundSucceeded(String refundNo, String paymentNo, String orderNo, Money amount,
        boolean fullyRefunded, Instant at, PaymentPurpose purpose) {

    /** Published through the messaging outbox on this topic, and as an in-process event inside its transaction. */
    public static final String TOPIC = "payment.refund-succeeded";
}
