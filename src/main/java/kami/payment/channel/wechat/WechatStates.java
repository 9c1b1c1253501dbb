package kami.payment.channel.wechat;

import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.Amount;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import com.wechat.pay.java.service.refund.model.Status;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * WeChat Pay's trade and refund states in Kami's terms, one table each, shared by queries and notifies so that both
 * paths always agree.
 */
final class WechatStates {

    static final String CURRENCY = "CNY";
    /** WeChat Pay writes and expects times in China Standard Time, as RFC 3339 with the offset. */
    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private WechatStates() {
    }

    /**
     * SUCCESS and REFUND both mean the payer paid (a refund does not undo that); NOTPAY, USERPAYING and ACCEPT can
     * still end paid; CLOSED, REVOKED and PAYERROR cannot. A state this table does not know is Unknown.
     */
    static PaymentState payment(Transaction transaction, Instant paidAtFallback) {
        Transaction.TradeStateEnum state = transaction.getTradeState();
        if (state == null) {
            return new PaymentState.Unknown("trade_state missing or not one WeChat Pay documents");
        }
        return switch (state) {
            case SUCCESS, REFUND -> paid(transaction, paidAtFallback);
            case NOTPAY, USERPAYING, ACCEPT -> new PaymentState.Pending();
            case CLOSED, REVOKED, PAYERROR -> new PaymentState.Closed(state.name());
        };
    }

    private static PaymentState paid(Transaction transaction, Instant paidAtFallback) {
        String transactionId = transaction.getTransactionId();
        Integer totalFen = transaction.getAmount() == null ? null : transaction.getAmount().getTotal();
        if (transactionId == null || transactionId.isBlank() || totalFen == null || totalFen <= 0) {
            return new PaymentState.Unknown("trade_state " + transaction.getTradeState()
                    + " without transaction_id or amount.total");
        }
        Instant paidAt = instant(transaction.getSuccessTime(), paidAtFallback);
        return new PaymentState.Paid(transactionId, Money.of(totalFen, CURRENCY), paidAt);
    }

    /**
     * SUCCESS is final and PROCESSING under way; CLOSED (given up) and ABNORMAL (the payout to the payer failed) are
     * Failed.
     */
    static RefundState refund(RefundReport report, Instant succeededAtFallback) {
        if (report.status() == null) {
            return new RefundState.Unknown("refund status missing or not one WeChat Pay documents");
        }
        return switch (report.status()) {
            case SUCCESS -> succeeded(report, succeededAtFallback);
            case PROCESSING -> new RefundState.Processing(report.refundId());
            case CLOSED, ABNORMAL -> new RefundState.Failed(report.status().name());
        };
    }

    private static RefundState succeeded(RefundReport report, Instant succeededAtFallback) {
        Long refundFen = report.amount() == null ? null : report.amount().getRefund();
        if (refundFen == null || refundFen <= 0) {
            return new RefundState.Unknown("refund SUCCESS without amount.refund");
        }
        return new RefundState.Succeeded(report.refundId(), Money.of(refundFen, CURRENCY),
                instant(report.successTime(), succeededAtFallback));
    }

    static String rfc3339(Instant instant) {
        return RFC_3339.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(CHINA));
    }

    static Instant instant(@Nullable String rfc3339, Instant fallback) {
        if (rfc3339 == null || rfc3339.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** The fields a refund answer and a refund notify share; the SDK models them as two unrelated classes. */
    record RefundReport(@Nullable String outRefundNo, @Nullable String outTradeNo, @Nullable Status status,
            @Nullable String refundId, @Nullable Amount amount, @Nullable String successTime) {

        static RefundReport of(Refund refund) {
            return new RefundReport(refund.getOutRefundNo(), refund.getOutTradeNo(), refund.getStatus(),
                    refund.getRefundId(), refund.getAmount(), refund.getSuccessTime());
        }

        static RefundReport of(RefundNotification notification) {
            return new RefundReport(notification.getOutRefundNo(), notification.getOutTradeNo(),
                    notification.getRefundStatus(), notification.getRefundId(), notification.getAmount(),
                    notification.getSuccessTime());
        }
    }
}
