package kami.messaging.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves due outbox rows to the transport. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so relays on
 * several instances (or several threads) take disjoint batches; a row is deleted only in the transaction that
 * saw the transport confirm it, so a crash at any point leaves it in the outbox to be sent again (consumers
 * de-duplicate by message id). A nacked or unroutable message is put back, to be tried again after a backoff.
 */
@Component
class Relay {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Transport transport;
    private final MessagingProperties properties;
    private final MessagingMetrics metrics;
    private final Clock clock;
    private final Signal signal = new Signal();
    private final LoopThread loop = new LoopThread("messaging-relay", this::run);

    Relay(JdbcClient jdbc, TransactionTemplate transaction, Transport transport, MessagingProperties properties,
            MessagingMetrics metrics, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.transport = transport;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    void wake() {
        signal.raise();
    }

    void start() {
        loop.start();
    }

    void stop() throws InterruptedException {
        loop.stop();
    }

    private void run() {
        while (loop.running()) {
            long seen = signal.generation();
            try {
                relayAll();
                signal.awaitAfter(seen, properties.relay().pollInterval());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!loop.running()) {
                    return;
                }
                log.warn("Relaying the outbox failed; trying again in {}", properties.relay().pollInterval(), e);
                Signal.sleepQuietly(properties.relay().pollInterval());
            }
        }
    }

    /** Relays batches until fewer than a full batch is due. */
    void relayAll() {
        int batchSize = properties.relay().batchSize();
        while (relayBatch(batchSize) == batchSize) {
            // Another full batch may be waiting.
        }
    }

    /** @return how many rows were claimed */
    int relayBatch(int batchSize) {
        Map<UUID, Transport.SendResult> sent = transaction.execute(status -> {
            Instant now = clock.instant();
            // Claiming is deleting: the uncommitted delete keeps the rows from the other relays until the transport
            // has confirmed them, and a rollback (or a crash) puts them back. Unconfirmed rows are put back below.
            List<OutboxMessage> due = jdbc.sql("""
                    delete from messaging_outbox
                    where message_id in (
                        select message_id from messaging_outbox
                        where available_at <= :now
                        order by available_at
                        limit :limit
                        for update skip locked)
                    returning message_id, topic, payload, created_at, attempts""")
                    .param("now", Timestamp.from(now)).param("limit", batchSize)
                    .query((rs, row) -> new OutboxMessage(rs.getObject("message_id", UUID.class),
                            rs.getString("topic"), rs.getString("payload"), rs.getTimestamp("created_at").toInstant(),
                            rs.getInt("attempts")))
                    .list().stream().sorted(Comparator.comparing(OutboxMessage::createdAt)).toList();
            if (due.isEmpty()) {
                return Map.<UUID, Transport.SendResult>of();
            }
            Map<UUID, Transport.SendResult> answers = transport.send(due);
            Map<UUID, Transport.SendResult> results = new HashMap<>();
            for (OutboxMessage message : due) {
                Transport.SendResult result = answers.getOrDefault(message.messageId(), Transport.SendResult.NACKED);
                results.put(message.messageId(), result);
                if (result != Transport.SendResult.CONFIRMED) {
                    postpone(message, result, now);
                }
            }
            return results;
        });
        if (sent == null) {
            return 0;
        }
        sent.values().forEach(metrics::published);
        return sent.size();
    }

    /** Puts an unconfirmed message back, due again after the backoff. */
    private void postpone(OutboxMessage message, Transport.SendResult result, Instant now) {
        int attempts = message.attempts() + 1;
        Instant next = now.plus(properties.retry().delayBefore(attempts));
        String error = result == Transport.SendResult.RETURNED
                ? "unroutable: no queue is bound to topic " + message.topic()
                : "not confirmed by the " + transport.name() + " transport";
        jdbc.sql("""
                insert into messaging_outbox (message_id, topic, payload, created_at, available_at, attempts,
                    last_error)
                values (:id, :topic, :payload, :createdAt, :next, :attempts, :error)""")
                .param("id", message.messageId()).param("topic", message.topic()).param("payload", message.payload())
                .param("createdAt", Timestamp.from(message.createdAt())).param("next", Timestamp.from(next))
                .param("attempts", attempts).param("error", error).update();
        log.warn("Message {} ({}) {}; attempt {} again at {}", message.messageId(), message.topic(), error,
                attempts + 1, next);
    }
}
