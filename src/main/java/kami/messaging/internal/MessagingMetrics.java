package kami.messaging.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Messaging figures: counters of publishes and consumptions by result, and gauges of the outbox backlog, the
 * age of its oldest row, and each consumer's lag and dead letters (read from the database or the broker on a
 * schedule, not on every scrape).
 */
@Component
class MessagingMetrics {

    record OutboxFigures(long backlog, @Nullable Duration oldestAge) {
    }

    private final MeterRegistry meters;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deadLetters = new ConcurrentHashMap<>();

    MessagingMetrics(MeterRegistry meters, JdbcClient jdbc, Clock clock) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("kami.messaging.outbox.backlog", backlog, AtomicLong::get)
                .description("messages in the outbox not yet confirmed by the transport").register(meters);
        Gauge.builder("kami.messaging.outbox.oldest.age", oldestAgeSeconds, AtomicLong::get).baseUnit("seconds")
                .description("age of the oldest message still in the outbox").register(meters);
    }

    void published(Transport.SendResult result) {
        meters.counter("kami.messaging.published", "result", result.name().toLowerCase()).increment();
    }

    /** @param result ok, duplicate, retry or dead */
    void consumed(String consumer, String result) {
        meters.counter("kami.messaging.consumed", "consumer", consumer, "result", result).increment();
    }

    OutboxFigures outbox() {
        return jdbc.sql("select count(*) as backlog, min(created_at) as oldest from messaging_outbox")
                .query((rs, row) -> {
                    Timestamp oldest = rs.getTimestamp("oldest");
                    Duration age = oldest == null ? null
                            : Duration.between(oldest.toInstant(), clock.instant()).abs();
                    return new OutboxFigures(rs.getLong("backlog"), age);
                }).single();
    }

    void refresh(OutboxFigures outbox, Map<String, Transport.Figures> consumers) {
        backlog.set(outbox.backlog());
        oldestAgeSeconds.set(outbox.oldestAge() == null ? 0 : outbox.oldestAge().toSeconds());
        consumers.forEach((consumer, figures) -> {
            gauge(lag, "kami.messaging.consumer.lag", consumer, "messages waiting for the consumer")
                    .set(figures.lag());
            gauge(deadLetters, "kami.messaging.dlq.depth", consumer, "dead letters of the consumer")
                    .set(figures.deadLetters());
        });
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String consumer, String description) {
        return values.computeIfAbsent(consumer, c -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag("consumer", c).description(description).register(meters);
            return value;
        });
    }
}
