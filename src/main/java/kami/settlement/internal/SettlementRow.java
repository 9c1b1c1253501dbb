package kami.settlement.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

/** A booked payment, as {@code settlement_payment} holds it. */
record SettlementRow(String paymentNo, String orderNo, long merchantId, String channel, String currency,
        long amountMinor, long feeMinor, long refundedMinor, long feeReturnedMinor, Instant paidAt,
        Instant settleAt, @Nullable Instant settledAt) {

    static final RowMapper<SettlementRow> MAPPER = (rs, n) -> new SettlementRow(rs.getString("payment_no"),
            rs.getString("order_no"), rs.getLong("merchant_id"), rs.getString("channel"), rs.getString("currency"),
            rs.getLong("amount_minor"), rs.getLong("fee_minor"), rs.getLong("refunded_minor"),
            rs.getLong("fee_returned_minor"), rs.getTimestamp("paid_at").toInstant(),
            rs.getTimestamp("settle_at").toInstant(),
            rs.getTimestamp("settled_at") == null ? null : rs.getTimestamp("settled_at").toInstant());

    boolean settled() {
        return settledAt != null;
    }

    /** What of the payment's net is still on the merchant's pending balance: the net less refunds taken from it. */
    long pendingMinor() {
        return amountMinor - feeMinor - (refundedMinor - feeReturnedMinor);
    }
}
