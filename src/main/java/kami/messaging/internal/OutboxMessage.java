package kami.messaging.internal;

import java.time.Instant;
import java.util.UUID;

/** An outbox row claimed by the relay. */
record OutboxMessage(UUID messageId, String topic, String payload, Instant createdAt, int attempts) {
}
