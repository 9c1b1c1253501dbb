package kami.payment.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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

    private final MeterRegistry meters;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final MultiGauge pendingByAge;

    PaymentMetrics(MeterRegistry meters, JdbcClient jdbc, Clock clock) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.clock = clock;
        this.pendingByAge = MultiGauge.builder("kami.payments.pending")
                .description("Pending payments by channel and age since creation").register(meters);
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
}
