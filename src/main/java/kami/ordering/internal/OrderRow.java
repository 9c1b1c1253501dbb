package kami.ordering.internal;

import java.time.Instant;
import kami.ordering.OrderStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

record OrderRow(String orderNo, long productId, int quantity, long amountMinor, String currency, String email,
        String channel, String paymentNo, OrderStatus status, String requestHash, Instant createdAt,
        Instant expiresAt, @Nullable Instant paidAt, @Nullable Instant deliveredAt) {

    static final RowMapper<OrderRow> MAPPER = (rs, row) -> new OrderRow(rs.getString("order_no"),
            rs.getLong("product_id"), rs.getInt("quantity"), rs.getLong("amount_minor"), rs.getString("currency"),
            rs.getString("email"), rs.getString("channel"), rs.getString("payment_no"),
            OrderStatus.valueOf(rs.getString("status")), rs.getString("request_hash"),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
            instant(rs.getTimestamp("paid_at")), instant(rs.getTimestamp("delivered_at")));

    private static @Nullable Instant instant(java.sql.@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
