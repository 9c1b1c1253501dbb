package kami.messaging.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import kami.messaging.Outbox;
import kami.messaging.Subscription;
import kami.platform.Roles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes messages into {@code messaging_outbox} in the caller's transaction and wakes the relay after commit: the
 * relay of this process, or in a process without the worker role the relays of the workers ({@link RelayWakeups}).
 */
@Component
class JdbcOutbox implements Outbox {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Relay relay;
    private final boolean wakeWorkersElsewhere;

    JdbcOutbox(JdbcClient jdbc, ObjectMapper json, Clock clock, Relay relay, Roles roles) {
        this.wakeWorkersElsewhere = !roles.worker();
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.relay = relay;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID publish(String topic, Object payload) {
        Subscription.requireTopic(topic);
        UUID messageId = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into messaging_outbox (message_id, topic, payload, created_at, available_at)
                values (:id, :topic, :payload, :now, :now)""")
                .param("id", messageId).param("topic", topic).param("payload", json.writeValueAsString(payload))
                .param("now", Timestamp.from(now)).update();
        if (wakeWorkersElsewhere) {
            // Delivered to the listening workers if and when this transaction commits (RelayWakeups).
            jdbc.sql("notify " + RelayWakeups.CHANNEL).update();
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wake();
            }
        });
        return messageId;
    }
}
