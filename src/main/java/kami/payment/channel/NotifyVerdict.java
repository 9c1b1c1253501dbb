package kami.payment.channel;

import org.jspecify.annotations.Nullable;

/** What an adapter makes of a notify. Only a verified notify may change state. */
public sealed interface NotifyVerdict {

    /** The notify is authentic and reports the state of a payment. */
    record VerifiedPayment(String paymentNo, PaymentState state) implements NotifyVerdict {
    }

    /** The notify is authentic and reports the state of a refund. */
    record VerifiedRefund(String refundNo, RefundState state) implements NotifyVerdict {
    }

    /**
     * Not authentic, not for this account, or not readable. {@code claimedPaymentNo} is what the notify says,
     * unverified: the gateway journals it and asks the channel about that payment instead of believing it.
     */
    record Unverified(String code, String reason, @Nullable String claimedPaymentNo) implements NotifyVerdict {
    }
}
