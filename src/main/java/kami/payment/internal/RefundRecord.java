package kami.payment.internal;

import java.time.Instant;
import kami.payment.RefundView;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

record RefundRecord(String refundNo, String requestNo, String requestHash, String paymentNo, String orderNo,
        String channel, Money amount, String reason, String status, @Nullable String channelRefundNo,
        Instant createdAt, @Nullable Instant submittedAt, @Nullable Instant finishedAt,
        @Nullable String failureReason, int queryAttempts) {

    static final RowMapper<RefundRecord> MAPPER = (rs, row) -> new RefundRecord(rs.getString("refund_no"),
            rs.getString("request_no"), rs.getString("request_hash"), rs.getString("payment_no"),
            rs.getString("order_no"), rs.getString("channel"),
            Money.of(rs.getLong("amount_minor"), rs.getString("currency")), rs.getString("reason"),
            rs.getString("status"), rs.getString("channel_refund_no"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("submitted_at") == null ? null : rs.getTimestamp("submitted_at").toInstant(),
            rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant(),
            rs.getString("failure_reason"), rs.getInt("query_attempts"));

    RefundView view(boolean replayed) {
        return new RefundView(refundNo, requestNo, orderNo, paymentNo, channel, amount.amountMinor(),
                amount.currencyCode(), status, reason, failureReason, createdAt, finishedAt, replayed);
    }
}
