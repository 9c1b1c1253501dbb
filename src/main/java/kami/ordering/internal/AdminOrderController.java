package kami.ordering.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import kami.ordering.OrderStatus;
import kami.platform.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operator views of orders: orders in a given status, and how fast paid orders were delivered. */
@RestController
class AdminOrderController {

    static final int LIST_LIMIT_MAX = 500;

    private final JdbcClient jdbc;

    AdminOrderController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record AdminOrder(String orderNo, String status, long productId, int quantity, long amountMinor, String currency,
            String email, String paymentNo, Instant createdAt, String statusReason) {
    }

    @GetMapping("/api/admin/orders")
    List<AdminOrder> orders(@RequestParam String status, @RequestParam(defaultValue = "100") int limit) {
        OrderStatus wanted;
        try {
            wanted = OrderStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_STATUS", "status must be one of " + List.of(OrderStatus.values()));
        }
        if (limit < 1 || limit > LIST_LIMIT_MAX) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be 1 to " + LIST_LIMIT_MAX);
        }
        return jdbc.sql("""
                select * from customer_order where status = :status order by created_at desc limit :limit""")
                .param("status", wanted.name()).param("limit", limit)
                .query((rs, row) -> new AdminOrder(rs.getString("order_no"), rs.getString("status"),
                        rs.getLong("product_id"), rs.getInt("quantity"), rs.getLong("amount_minor"),
                        rs.getString("currency"), rs.getString("email"), rs.getString("payment_no"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("status_reason")))
                .list();
    }

    /**
     * Payment confirmed (notify accepted) to delivered, over orders delivered since the instant: the figure the
     * benchmark reports, and what an operator watches.
     */
    @GetMapping("/api/admin/stats/delivery")
    Map<String, Object> deliveryLatency(@RequestParam(defaultValue = "1970-01-01T00:00:00Z") Instant since) {
        return jdbc.sql("""
                select count(*) as delivered,
                       min(paid_at) as first_paid_at,
                       max(delivered_at) as last_delivered_at,
                       percentile_cont(0.50) within group (order by ms) as p50,
                       percentile_cont(0.95) within group (order by ms) as p95,
                       percentile_cont(0.99) within group (order by ms) as p99,
                       max(ms) as max
                from (select paid_at, delivered_at,
                             extract(epoch from (delivered_at - paid_at)) * 1000 as ms
                      from customer_order
                      where status = 'DELIVERED' and delivered_at >= :since) d""")
                .param("since", Timestamp.from(since))
                .query((rs, row) -> {
                    Map<String, Object> stats = new java.util.LinkedHashMap<>();
                    stats.put("delivered", rs.getLong("delivered"));
                    Timestamp firstPaid = rs.getTimestamp("first_paid_at");
                    Timestamp lastDelivered = rs.getTimestamp("last_delivered_at");
                    stats.put("firstPaidAt", firstPaid == null ? null : firstPaid.toInstant().toString());
                    stats.put("lastDeliveredAt", lastDelivered == null ? null : lastDelivered.toInstant().toString());
                    stats.put("p50Ms", rs.getDouble("p50"));
                    stats.put("p95Ms", rs.getDouble("p95"));
                    stats.put("p99Ms", rs.getDouble("p99"));
                    stats.put("maxMs", rs.getDouble("max"));
                    return stats;
                }).single();
    }
}
