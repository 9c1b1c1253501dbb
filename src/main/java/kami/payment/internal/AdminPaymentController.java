package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import kami.payment.channel.PaymentState;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments for operators: the list of stuck payments, and manual repair (补单), which asks the channel and
 * applies only what the channel confirms. Every repair is audited, whatever it found.
 */
@RestController
class AdminPaymentController {

    private final JdbcPayments payments;
    private final PaymentQueries queries;
    private final PaymentProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;

    AdminPaymentController(JdbcPayments payments, PaymentQueries queries, PaymentProperties properties,
            JdbcClient jdbc, Clock clock) {
        this.payments = payments;
        this.queries = queries;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record PaymentSummary(String paymentNo, String orderNo, String channel, String method, long amountMinor,
            String currency, String status, @Nullable String channelTradeNo, Instant expiresAt, int queryAttempts,
            @Nullable String lastQueryResult) {
    }

    record Repair(String paymentNo, String statusBefore, String statusAfter, String channelAnswer, String operator,
            Instant requestedAt) {
    }

    @GetMapping("/api/admin/payments")
    List<PaymentSummary> list(@RequestParam(defaultValue = "false") boolean stuck,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be 1 to 1000");
        }
        String where = stuck ? "where status = 'PENDING' and expires_at < :before" : "where true";
        return jdbc.sql("select * from payment " + where + " order by created_at desc limit :limit")
                .param("before", Timestamp.from(clock.instant().minus(properties.stuckAfter())))
                .param("limit", limit)
                .query((rs, row) -> new PaymentSummary(rs.getString("payment_no"), rs.getString("order_no"),
                        rs.getString("channel"), rs.getString("method"), rs.getLong("amount_minor"),
                        rs.getString("currency"), rs.getString("status"), rs.getString("channel_trade_no"),
                        rs.getTimestamp("expires_at").toInstant(), rs.getInt("query_attempts"),
                        rs.getString("last_query_result")))
                .list();
    }

    /** Asks the channel about the payment now and applies a confirmed answer; the channel has the last word. */
    @PostMapping("/api/admin/payments/{paymentNo}/repair")
    Repair repair(@PathVariable String paymentNo,
            @RequestHeader(name = "X-Operator", required = false) @Nullable String operator) {
        PaymentRecord before = payments.find(paymentNo).orElseThrow(() -> ApiException.notFound(
                "PAYMENT_NOT_FOUND", "No payment " + paymentNo));
        PaymentState answer = queries.queryForRepair(before);
        PaymentRecord after = payments.find(paymentNo).orElseThrow();
        String who = operator == null || operator.isBlank() ? "admin" : operator.strip();
        if (who.length() > 100) {
            who = who.substring(0, 100);
        }
        Instant now = clock.instant();
        jdbc.sql("""
                insert into payment_repair (payment_no, operator, requested_at, status_before, status_after,
                    channel_answer)
                values (:no, :operator, :now, :before, :after, :answer)""")
                .param("no", paymentNo).param("operator", who).param("now", Timestamp.from(now))
                .param("before", before.status().name()).param("after", after.status().name())
                .param("answer", PaymentQueries.describe(answer)).update();
        return new Repair(paymentNo, before.status().name(), after.status().name(), PaymentQueries.describe(answer),
                who, now);
    }

    @GetMapping("/api/admin/payments/{paymentNo}/repairs")
    List<Repair> repairs(@PathVariable String paymentNo) {
        return jdbc.sql("select * from payment_repair where payment_no = :no order by id")
                .param("no", paymentNo)
                .query((rs, row) -> new Repair(rs.getString("payment_no"), rs.getString("status_before"),
                        rs.getString("status_after"), rs.getString("channel_answer"), rs.getString("operator"),
                        rs.getTimestamp("requested_at").toInstant()))
                .list();
    }
}
