package kami.payment;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

public interface Payments {

    /**
     * The built-in channel that pays from a user's wallet in Kami itself. Its payments are never paid by a notify:
     * the wallet module debits the wallet and records the payment with {@link #recordInternalPayment} in one
     * transaction.
     */
    String WALLET_CHANNEL = "wallet";

    /** The wallet channel's one method. */
    String WALLET_METHOD = "wallet.balance";

    /** Where a wallet payment is paid: this prefix and the payment number, a page the wallet module serves. */
    String WALLET_PAY_PATH = "/wallet/pay/";

    /**
     * Creates the payment in the caller's transaction; an unknown or disabled channel or method is the caller's
     * error, and so is a wallet top-up paid from the wallet itself (400 {@code TOP_UP_CHANNEL_NOT_ALLOWED}).
     * Channels that are reached over the network are called later, when the payer opens the pay URL.
     */
    PaymentView create(NewPayment payment);

    /** The payment of an order (or of a wallet top-up, by its top-up number). */
    Optional<PaymentView> findByOrder(String orderNo);

    Optional<PaymentDetails> details(String paymentNo);

    /**
     * Records that a payment of an internal channel (the wallet) was paid, in the caller's transaction, which must
     * also hold the money movement: the payment moves to SUCCEEDED and {@link PaymentSucceeded} is published in
     * it. Idempotent: recording the same trade again changes nothing and answers false. Errors: 404
     * {@code PAYMENT_NOT_FOUND}; 409 {@code NOT_AN_INTERNAL_PAYMENT} (another channel's payment), 409
     * {@code PAYMENT_CLOSED} (closed, or past its deadline: it can no longer be paid), 409
     * {@code PAYMENT_ALREADY_SUCCEEDED} (paid with another trade).
     *
     * @return true when this call recorded the payment
     */
    boolean recordInternalPayment(String paymentNo, String channelTradeNo);

    /**
     * Rejects a channel or method that is unknown or switched off (400 {@code UNKNOWN_CHANNEL} /
     * {@code UNKNOWN_METHOD}), a bank that does not fit the method (400 {@code BANK_REQUIRED},
     * {@code BANK_NOT_SUPPORTED}, {@code UNKNOWN_BANK}), and a path that is failing or switched off now (503
     * {@code PATH_UNAVAILABLE}; for a bank, its own path or its method's), before anything is reserved.
     */
    void requireChannel(String channel, @Nullable String method, @Nullable String bank);

    /** {@link #requireChannel(String, String, String)} for a payment without a bank. */
    default void requireChannel(String channel, @Nullable String method) {
        requireChannel(channel, method, null);
    }

    /**
     * The ways to pay a buyer is offered now: switched on, not failing, within a recovering path's share; for a
     * method with banks, only the banks that are so.
     */
    List<PaymentMethodView> availableMethods();

    /**
     * The last word before an unpaid order expires: asks the channel about the order's payment (outside any
     * transaction). A payment the channel confirms is recorded at once, which moves the order to PAID.
     */
    FinalCheck checkBeforeExpiry(String orderNo);

    /**
     * {@link #checkBeforeExpiry} for many at once, asked side by side but at most {@code 16} at a time: a slow
     * channel then holds a few slots for at most its call timeout (or none once its breaker is open) instead of
     * delaying every other one, and a sweep stays below a channel's bulkhead, whose overflow would only make them
     * wait for the next sweep. A check that fails is answered {@link FinalCheck#UNKNOWN}.
     */
    Map<String, FinalCheck> checkAllBeforeExpiry(List<String> orderNos);

    /**
     * Records a refund and takes its amount from what the payment has left, in the caller's transaction when
     * there is one; the channel is asked after commit. Errors: 404 {@code ORDER_NOT_FOUND}, 409
     * {@code NOT_REFUNDABLE} (not paid, or a wallet top-up, whose money is in the wallet), 409
     * {@code REFUND_EXCEEDS_PAYMENT}, 422 {@code REFUND_REQUEST_REUSED}.
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
