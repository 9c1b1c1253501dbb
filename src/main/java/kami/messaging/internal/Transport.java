package kami.messaging.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Carries outbox messages to consumers and runs the consumers. Both transports honour one contract: a message
 * counts as sent only once the transport has it durably for every subscribed consumer; each consumer handles it
 * through the {@link Inbox} in its own transaction; failures are retried with backoff and then dead-lettered.
 */
interface Transport {

    enum SendResult { CONFIRMED, NACKED, RETURNED }

    record DeadLetter(UUID messageId, String consumer, String topic, String payload, @Nullable String lastError,
            int attempts, @Nullable Instant deadLetteredAt) {
    }

    /** What waits for a consumer: messages not yet handled, and dead letters. */
    record Figures(long lag, long deadLetters) {
    }

    String name();

    /**
     * Hands messages over. Called inside the relay's transaction, which holds the rows' locks; only messages
     * answered {@link SendResult#CONFIRMED} are removed from the outbox when it commits.
     */
    Map<UUID, SendResult> send(List<OutboxMessage> messages);

    /**
     * Hands a message to the given consumers inside the publishing transaction, if this transport keeps its
     * deliveries in the same database: then the deliveries commit or roll back with the business change, and the
     * outbox row and the relay's round trip are not needed. Called only with at least one consumer.
     *
     * @return false if the message must go through the outbox and the relay instead
     */
    default boolean sendWithinPublishingTransaction(OutboxMessage message, List<RegisteredConsumer> consumers) {
        return false;
    }

    /** Wakes this instance's consumers: another process has committed deliveries for them. */
    default void wakeConsumers() {
    }

    void start(RegisteredConsumer consumer);

    void stop(RegisteredConsumer consumer);

    List<DeadLetter> deadLetters(RegisteredConsumer consumer, int limit);

    /** Sends dead letters of the consumer (all, or the one with {@code messageId}) back to it. */
    int replay(RegisteredConsumer consumer, @Nullable UUID messageId);

    Figures figures(RegisteredConsumer consumer);
}
