package kami.payment.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The third driver of payments and refunds: anything still pending long after it should have ended is reported
 * (an {@code ALERT} log line, re-raised hourly, and a gauge; payments also in the admin list) until a channel
 * answer or an operator settles it. The other drivers keep working on it meanwhile.
 */
@Component
class StuckReports {

    static final Duration REALERT_AFTER = Duration.ofHours(1);
    static final int IDS_LOGGED_MAX = 20;

    /** What is reported: rows of {@code table} pending since before {@code sinceColumn} + the allowed time. */
    private record Kind(String name, String table, String idColumn, String sinceColumn, Duration allowed,
            AtomicLong current) {
    }

    private static final Logger log = LoggerFactory.getLogger(StuckReports.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final List<Kind> kinds;

    StuckReports(JdbcClient jdbc, PaymentProperties properties, Clock clock, MeterRegistry meters, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.clock = clock;
        this.kinds = List.of(
                new Kind("payments", "payment", "payment_no", "expires_at", properties.stuckAfter(), new AtomicLong()),
                new Kind("refunds", "refund", "refund_no", "created_at", properties.refundStuckAfter(),
                        new AtomicLong()));
        for (Kind kind : kinds) {
            Gauge.builder("kami." + kind.name() + ".stuck", kind.current(), AtomicLong::get)
                    .description(kind.name() + " still pending " + kind.allowed() + " after their "
                            + kind.sinceColumn())
                    .register(meters);
        }
    }

    @Scheduled(fixedDelayString = "${kami.payments.stuck-sweep-interval:1m}",
            initialDelayString = "${kami.payments.stuck-sweep-interval:1m}")
    void report() {
        if (!roles.worker()) {
            return;
        }
        kinds.forEach(this::report);
    }

    private void report(Kind kind) {
        Instant now = clock.instant();
        Timestamp before = Timestamp.from(now.minus(kind.allowed()));
        // Table and column names are constants of this class, never input.
        List<String> newlyAlerted = jdbc.sql("update " + kind.table() + " set alerted_at = :now"
                + " where status = 'PENDING' and " + kind.sinceColumn() + " < :before"
                + " and (alerted_at is null or alerted_at < :realertBefore)"
                + " returning " + kind.idColumn())
                .param("now", Timestamp.from(now)).param("before", before)
                .param("realertBefore", Timestamp.from(now.minus(REALERT_AFTER)))
                .query(String.class).list();
        kind.current().set(jdbc.sql("select count(*) from " + kind.table()
                + " where status = 'PENDING' and " + kind.sinceColumn() + " < :before")
                .param("before", before).query(Long.class).single());
        if (!newlyAlerted.isEmpty()) {
            log.error("ALERT {} {} are still pending more than {} after their {}: {}", newlyAlerted.size(),
                    kind.name(), kind.allowed(), kind.sinceColumn(), newlyAlerted.size() > IDS_LOGGED_MAX
                            ? newlyAlerted.subList(0, IDS_LOGGED_MAX) + " …" : newlyAlerted);
        }
    }
}
