package kami.messaging.internal;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Messaging settings ({@code kami.messaging.*}).
 *
 * @param transport {@code embedded} (PostgreSQL only, the default) or {@code rabbitmq}
 * @param relay how the outbox relay looks for due rows (it is also woken right after each publishing commit)
 * @param retry backoff between a consumer's failed attempts; after {@code maxRetries} retries the message is
 *     dead-lettered
 * @param consumers per-consumer settings by consumer name
 * @param defaultConcurrency handlers one consumer runs in parallel on one instance unless set per consumer
 * @param pollInterval how often embedded consumers look for due deliveries besides being woken
 * @param batchSize deliveries an embedded consumer's worker takes and handles in one transaction (one commit for
 *     all, each handler behind its own savepoint); 1 by default, because on saturated cores a batch keeps all its
 *     messages waiting for its last handler, which lengthens the latency's tail (docs/messaging.md)
 * @param metricsInterval how often backlog, lag and dead-letter figures are read for the gauges
 * @param inboxRetention how long processed message ids are kept to recognise a redelivery
 * @param rabbitmq RabbitMQ specifics (the connection itself is Spring Boot's {@code spring.rabbitmq.*})
 */
@ConfigurationProperties("kami.messaging")
record MessagingProperties(@Nullable Transport transport, @Nullable Relay relay, @Nullable Retry retry,
        @Nullable Map<String, ConsumerSettings> consumers, @Nullable Integer defaultConcurrency,
        @Nullable Duration pollInterval, @Nullable Duration metricsInterval, @Nullable Duration inboxRetention,
        @Nullable Rabbitmq rabbitmq, @Nullable Integer batchSize) {

    static final int CONCURRENCY_MAX = 64;
    /** Each handler's savepoint is a subtransaction; PostgreSQL caches 64 per transaction before it overflows. */
    static final int CONSUMER_BATCH_MAX = 50;
    static final int RETRIES_MAX = 10;
    static final int BATCH_MAX = 1000;

    enum Transport { EMBEDDED, RABBITMQ }

    record Relay(@Nullable Duration pollInterval, @Nullable Integer batchSize) {

        Relay {
            pollInterval = positive("relay.poll-interval", pollInterval, Duration.ofSeconds(1));
            batchSize = batchSize == null ? 100 : batchSize;
            if (batchSize < 1 || batchSize > BATCH_MAX) {
                throw new IllegalArgumentException("kami.messaging.relay.batch-size must be 1.." + BATCH_MAX);
            }
        }
    }

    record Retry(@Nullable Duration initialInterval, @Nullable Double multiplier, @Nullable Duration maxInterval,
            @Nullable Integer maxRetries) {

        Retry {
            initialInterval = positive("retry.initial-interval", initialInterval, Duration.ofSeconds(1));
            multiplier = multiplier == null ? 2.0 : multiplier;
            maxInterval = positive("retry.max-interval", maxInterval, Duration.ofMinutes(5));
            maxRetries = maxRetries == null ? 3 : maxRetries;
            if (multiplier < 1.0) {
                throw new IllegalArgumentException("kami.messaging.retry.multiplier must be at least 1");
            }
            if (maxRetries < 0 || maxRetries > RETRIES_MAX) {
                throw new IllegalArgumentException("kami.messaging.retry.max-retries must be 0.." + RETRIES_MAX);
            }
        }

        /** The pause before retry number {@code retry} (1 = the first retry). */
        Duration delayBefore(int retry) {
            double millis = initialInterval.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
            return Duration.ofMillis((long) Math.min(millis, maxInterval.toMillis()));
        }
    }

    record ConsumerSettings(@Nullable Integer concurrency) {
    }

    /**
     * @param confirmTimeout how long the relay waits for the broker's publisher confirm before it leaves the row
     *     in the outbox for another attempt
     * @param prefetch unacknowledged messages the broker hands one consumer thread at a time
     * @param deliveryLimit the main queues' {@code x-delivery-limit}: a message redelivered this often without
     *     an answer (consumers crashing on it) goes to the dead-letter queue
     */
    record Rabbitmq(@Nullable Duration confirmTimeout, @Nullable Integer prefetch, @Nullable Integer deliveryLimit) {

        Rabbitmq {
            confirmTimeout = positive("rabbitmq.confirm-timeout", confirmTimeout, Duration.ofSeconds(5));
            prefetch = prefetch == null ? 10 : prefetch;
            deliveryLimit = deliveryLimit == null ? 20 : deliveryLimit;
        }
    }

    MessagingProperties {
        transport = transport == null ? Transport.EMBEDDED : transport;
        relay = relay == null ? new Relay(null, null) : relay;
        retry = retry == null ? new Retry(null, null, null, null) : retry;
        consumers = consumers == null ? Map.of() : Map.copyOf(consumers);
        defaultConcurrency = defaultConcurrency == null ? 4 : defaultConcurrency;
        requireConcurrency("default-concurrency", defaultConcurrency);
        consumers.forEach((name, settings) -> {
            if (settings.concurrency() != null) {
                requireConcurrency("consumers." + name + ".concurrency", settings.concurrency());
            }
        });
        pollInterval = positive("poll-interval", pollInterval, Duration.ofSeconds(1));
        metricsInterval = positive("metrics-interval", metricsInterval, Duration.ofSeconds(10));
        inboxRetention = positive("inbox-retention", inboxRetention, Duration.ofDays(7));
        rabbitmq = rabbitmq == null ? new Rabbitmq(null, null, null) : rabbitmq;
        batchSize = batchSize == null ? 1 : batchSize;
        if (batchSize < 1 || batchSize > CONSUMER_BATCH_MAX) {
            throw new IllegalArgumentException("kami.messaging.batch-size must be 1.." + CONSUMER_BATCH_MAX);
        }
    }

    int concurrencyOf(String consumer) {
        ConsumerSettings settings = consumers.get(consumer);
        return settings == null || settings.concurrency() == null ? defaultConcurrency : settings.concurrency();
    }

    private static void requireConcurrency(String name, int value) {
        if (value < 1 || value > CONCURRENCY_MAX) {
            throw new IllegalArgumentException("kami.messaging." + name + " must be 1.." + CONCURRENCY_MAX);
        }
    }

    private static Duration positive(String name, @Nullable Duration value, Duration fallback) {
        Duration result = value == null ? fallback : value;
        if (!result.isPositive()) {
            throw new IllegalArgumentException("kami.messaging." + name + " must be positive: " + result);
        }
        return result;
    }
}
