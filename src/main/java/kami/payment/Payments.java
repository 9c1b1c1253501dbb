package kami.payment;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

public interface Payments {

    /**
     * Creates the payment in the caller's transaction; an unknown or disabled channel or method is the caller's
     * error. Channels that are reached over the network are called later, when the payer opens the pay URL.
     */
    PaymentView create(NewPayment payment);

    Optional<PaymentView> findByOrder(String orderNo);

    /**
     * Rejects a channel or method that is unknown or switched off (400 {@code UNKNOWN_CHANNEL} /
     * {@code UNKNOWN_METHOD}), and a path that is failing now (503 {@code PATH_UNAVAILABLE}), before anything
     * is reserved.
     */
    void requireChannel(String channel, @Nullable String method);

    /** The ways to pay a buyer is offered now: switched on, not failing, within a recovering path's share. */
    List<PaymentMethodView> availableMethods();

    /**
     * The last word before an unpaid order expires: asks the channel about the order's payment (outside any
     * transaction). A payment the channel confirms is recorded at once, which moves the order to PAID.
     */
    FinalCheck checkBeforeExpiry(String orderNo);

    /**
     * Records a refund and takes its amount from what the payment has left, in the caller's transaction when
     * there is one; the channel is asked after commit. Errors: 404 {@code ORDER_NOT_FOUND}, 409
     * {@code NOT_REFUNDABLE} (not paid), 409 {@code REFUND_EXCEEDS_PAYMENT}, 422 {@code REFUND_REQUEST_REUSED}.
     */
    RefundView requestRefund(RefundRequest request);

    List<RefundView> refundsOf(String orderNo);

    enum FinalCheck {
        /** The channel confirmed the payment; it is recorded. */
        PAID,
        /** The channel says it was not paid (or cannot be paid any more): the order may expire. */
        NOT_PAID,
        /** The channel gave no usable answer: ask again before expiring the order. */
        UNKNOWN
    }
}
