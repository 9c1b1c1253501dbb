package kami.payment;

import java.time.Instant;
import kami.platform.Money;

/** The money of a refund went back to the payer; {@code fullyRefunded} when nothing of the payment is left. */
public record RefundSucceeded(String refundNo, String paymentNo, String orderNo, Money amount,
        boolean fullyRefunded, Instant at) {
}
