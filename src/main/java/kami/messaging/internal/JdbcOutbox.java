package kami.messaging.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import kami.messaging.Outbox;
import kami.messaging.Subscription;
import kami.platform.AfterCommit;
import kami.platform.Roles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes messages in the caller's transaction. A transport that keeps its deliveries in this database (the
 * embedded one) takes a message for its consumers right there; otherwise, or when no consumer takes the topic
 * yet, the message goes into {@code messaging_outbox}, and the commit wakes the relay. Either way the commit wakes
 * the workers: those of this process, or in a process without the worker role those of the worker processes
 * ({@link RelayWakeups}).
 */
@Component
class JdbcOutbox implements Outbox {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Relay relay;
    private final ConsumerRegistry consumers;
    private final Transport transport;
    private final MessagingMetrics metrics;
    private final boolean wakeWorkersElsewhere;

    JdbcOutbox(JdbcClient jdbc, ObjectMapper json, Clock clock, Relay relay, ConsumerRegistry consumers,
            Transport transport, MessagingMetrics metrics, Roles roles) {
        this.wakeWorkersElsewhere = !roles.worker();
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.relay = relay;
        this.consumers = consumers;
        this.transport = transport;
        this.metrics = metrics;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID publish(String topic, Object payload) {
        Subscription.requireTopic(topic);
        UUID messageId = UUID.randomUUID();
        Instant now = clock.instant();
        OutboxMessage message = new OutboxMessage(messageId, topic, json.writeValueAsString(payload), now, 0);
        List<RegisteredConsumer> takers = consumers.takersOf(topic);
        if (!takers.isEmpty() && transport.sendWithinPublishingTransaction(message, takers)) {
            AfterCommit.run(() -> metrics.published(Transport.SendResult.CONFIRMED));
        } else {
            jdbc.sql("""
                    insert into messaging_outbox (message_id, topic, payload, created_at, available_at)
                    values (:id, :topic, :payload, :now, :now)""")
                    .param("id", messageId).param("topic", topic).param("payload", message.payload())
                    .param("now", Timestamp.from(now)).update();
            AfterCommit.run(relay::wake);
        }
        if (wakeWorkersElsewhere) {
            // Delivered to the listening workers if and when this transaction commits (RelayWakeups).
            jdbc.sql("notify " + RelayWakeups.CHANNEL).update();
        }
        return messageId;
    }
}
