package kami.messaging.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import kami.messaging.ReceivedMessage;
import kami.messaging.Subscription;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs a consumer's handler at most once per message id: the inbox row and the handler's effects commit
 * together, so a redelivered message (after a crash before the acknowledgement, or a duplicate publish) finds
 * its id already there and is acknowledged without running the handler again. A second copy arriving while the
 * first is still being handled waits on the primary key and then sees the first one's row.
 */
@Component
class Inbox {

    enum Outcome { HANDLED, DUPLICATE }

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final MessagingProperties properties;

    Inbox(JdbcClient jdbc, ObjectMapper json, Clock clock, MessagingProperties properties, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Outcome process(RegisteredConsumer consumer, UUID messageId, String topic, String payload) {
        int inserted = jdbc.sql("""
                insert into messaging_inbox (consumer, message_id, processed_at) values (:consumer, :id, :now)
                on conflict do nothing""")
                .param("consumer", consumer.name()).param("id", messageId)
                .param("now", Timestamp.from(clock.instant())).update();
        if (inserted == 0) {
            return Outcome.DUPLICATE;
        }
        handle(consumer, messageId, topic, payload);
        return Outcome.HANDLED;
    }

    /**
     * Runs the handler for a message whose id the caller has just recorded in the inbox, in this transaction (the
     * embedded transport records it in the statement that takes the message).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void handle(RegisteredConsumer consumer, UUID messageId, String topic, String payload) {
        handle(consumer.subscription(), messageId, topic, payload);
    }

    private <T> void handle(Subscription<T> subscription, UUID messageId, String topic, String payload) {
        T value = json.readValue(payload, subscription.payloadType());
        subscription.handler().handle(new ReceivedMessage<>(messageId, topic, value));
    }

    /** Ids older than the retention are forgotten; a redelivery that late is not expected from either transport. */
    @Scheduled(fixedDelayString = "${kami.messaging.inbox-prune-interval:1h}",
            initialDelayString = "${kami.messaging.inbox-prune-interval:1h}")
    void prune() {
        if (!roles.worker()) {
            return;
        }
        int pruned = jdbc.sql("delete from messaging_inbox where processed_at < :before")
                .param("before", Timestamp.from(clock.instant().minus(properties.inboxRetention()))).update();
        if (pruned > 0) {
            log.info("Forgot {} processed message ids older than {}", pruned, properties.inboxRetention());
        }
    }
}
