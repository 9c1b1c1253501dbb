package kami.payment.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PGInterval;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gateway metrics that are not a by-product of a call: payments created and succeeded per channel (their ratio
 * is the end-to-end payment success rate), notifies by verdict, and pending payments by age, refreshed from the
 * database so every instance reports the same figures.
 */
@Component
class PaymentMetrics {

    private static final Map<String, Duration> REFUND_WINDOWS = new LinkedHashMap<>(Map.of(
            "same_day", Duration.ofHours(24), "next_day", Duration.ofHours(48), "within_7_days",
            Duration.ofDays(7)));

    private final MeterRegistry meters;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final MultiGauge pendingByAge;
    private final MultiGauge refundSuccessRate;

    PaymentMetrics(MeterRegistry meters, JdbcClient jdbc, Clock clock) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.clock = clock;
        this.pendingByAge = MultiGauge.builder("kami.payments.pending")
                .description("Pending payments by channel and age since creation").register(meters);
        this.refundSuccessRate = MultiGauge.builder("kami.refunds.success.rate")
                .description("Share of refunds requested in the last 30 days (and at least the window ago) that "
                        + "succeeded within the window: same_day = 24 h, next_day = 48 h, within_7_days")
                .register(meters);
    }


    void created(String channel) {
        counter("kami.payments.created", channel).increment();
    }

    void succeeded(String channel) {
        counter("kami.payments.succeeded", channel).increment();
    }

    void notify(String channel, NotifyJournal.Verdict verdict, String code) {
        Counter.builder("kami.notify").description("Channel notifies by verdict").tag("channel", channel)
                .tag("verdict", verdict.name()).tag("code", code).register(meters).increment();
    }

    private Counter counter(String name, String channel) {
        return Counter.builder(name).tag("channel", channel).register(meters);
    }

    @Scheduled(fixedDelayString = "${kami.payments.metrics-interval:30s}")
    void refreshPendingByAge() {
        Instant now = clock.instant();
        List<MultiGauge.Row<Number>> rows = jdbc.sql("""
                select channel,
                       case when created_at > :m1 then 'under_1m'
                            when created_at > :m15 then '1m_to_15m'
                            when created_at > :h1 then '15m_to_1h'
                            else 'over_1h' end as age,
                       count(*) as n
                from payment where status = 'PENDING'
                group by 1, 2""")
                .param("m1", Timestamp.from(now.minusSeconds(60))).param("m15", Timestamp.from(now.minusSeconds(900)))
                .param("h1", Timestamp.from(now.minusSeconds(3600)))
                .query((rs, row) -> MultiGauge.Row.of(Tags.of("channel", rs.getString("channel"), "age",
                        rs.getString("age")), (Number) rs.getLong("n")))
                .list();
        pendingByAge.register(List.copyOf(rows), true);
    }

    /** Refund success within 24 h, 48 h and 7 days, per channel, over refunds old enough to be judged. */
    @Scheduled(fixedDelayString = "${kami.payments.metrics-interval:30s}")
    void refreshRefundSuccessRate() {
        Instant now = clock.instant();
        List<MultiGauge.Row<Number>> rows = new ArrayList<>();
        for (Map.Entry<String, Duration> window : REFUND_WINDOWS.entrySet()) {
            jdbc.sql("""
                    select channel,
                           count(*) filter (where status = 'SUCCEEDED' and finished_at - created_at <= :window)
                               :: float8 / count(*) as rate
                    from refund
                    where created_at >= :since and created_at <= :judgeable
                    group by channel""")
                    .param("window", new PGInterval(0, 0, 0, 0, 0, window.getValue().toSeconds()))
                    .param("since", Timestamp.from(now.minus(Duration.ofDays(30))))
                    .param("judgeable", Timestamp.from(now.minus(window.getValue())))
                    .query((rs, row) -> MultiGauge.Row.of(Tags.of("channel", rs.getString("channel"), "within",
                            window.getKey()), (Number) rs.getDouble("rate")))
                    .list().forEach(rows::add);
        }
        refundSuccessRate.register(List.copyOf(rows), true);
    }
}
