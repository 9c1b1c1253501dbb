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

    void start(RegisteredConsumer consumer);

    void stop(RegisteredConsumer consumer);

    List<DeadLetter> deadLetters(RegisteredConsumer consumer, int limit);

    /** Sends dead letters of the consumer (all, or the one with {@code messageId}) back to it. */
    int replay(RegisteredConsumer consumer, @Nullable UUID messageId);

    Figures figures(RegisteredConsumer consumer);
}
