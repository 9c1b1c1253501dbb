package kami.messaging.internal;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kami.platform.AfterCommit;
import kami.platform.DatabaseOutages;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transport that needs nothing but PostgreSQL. A message is fanned out into one {@code messaging_delivery}
 * row per subscribed consumer in the transaction that publishes it (or, for a message no consumer known at that
 * moment takes, in the relay's transaction), and the commit wakes one idle worker per row. Each consumer's
 * workers take due rows in batches (up to {@code kami.messaging.batch-size}, picked with {@code FOR UPDATE SKIP
 * LOCKED}) by deleting them and recording their message ids in the {@link Inbox}, in one statement, and the
 * handlers run one after the other in the same transaction, which commits once for the batch: the uncommitted
 * deletion is the lease, so a crashed worker's rows are back the moment its connection is gone. A failing handler
 * is rolled back to its own savepoint and its row is put back (and its id taken out of the inbox) rescheduled with
 * backoff, or dead-lettered once its retries are used; the other handlers of the batch are not affected.
 */
@Component
@ConditionalOnProperty(name = "kami.messaging.transport", havingValue = "embedded", matchIfMissing = true)
class EmbeddedTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedTransport.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate transaction;
    private final Inbox inbox;
    private final MessagingProperties properties;
    private final MessagingMetrics metrics;
    private final Clock clock;
    private final Map<String, Workers> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("messaging-retry-timer").daemon().factory());

    /** A taken delivery; {@code firstTime} when its id was not in the consumer's inbox yet. */
    private record Due(UUID messageId, String topic, String payload, Timestamp createdAt, int attempts,
            boolean firstTime, long dueBefore) {
    }

    /**
     * What a worker's look for work found. Other due rows may be in another worker's hands (their deletion not
     * yet committed), so "more" can be wrong that way, which costs one look that finds nothing; it is never wrong
     * the other way, and deliveries that arrive later wake a worker.
     */
    private enum Taken { NONE, THE_LAST, ONE_OF_MORE }

    private final String take;

    EmbeddedTransport(JdbcClient jdbc, JdbcTemplate batch, PlatformTransactionManager transactions, Inbox inbox,
            MessagingProperties properties, MessagingMetrics metrics, Clock clock) {
        this.take = takeStatement(properties.batchSize());
        this.jdbc = jdbc;
        this.batch = batch;
        this.transaction = new TransactionTemplate(transactions);
        this.inbox = inbox;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public Map<UUID, SendResult> send(List<OutboxMessage> messages) {
        Map<UUID, SendResult> results = new HashMap<>();
        List<Addressed> deliveries = new ArrayList<>();
        for (OutboxMessage message : messages) {
            List<RegisteredConsumer> subscribed = running.values().stream().map(workers -> workers.consumer)
                    .filter(consumer -> consumer.takes(message.topic())).toList();
            if (subscribed.isEmpty()) {
                results.put(message.messageId(), SendResult.RETURNED);
                continue;
            }
            subscribed.forEach(consumer -> deliveries.add(new Addressed(consumer, message)));
            results.put(message.messageId(), SendResult.CONFIRMED);
        }
        insertAndWake(deliveries);
        return results;
    }

    /**
     * Writes the deliveries in the publishing transaction: {@code messaging_delivery} is an outbox per consumer
     * in the same database, so a message written here is as durable as one in {@code messaging_outbox} and
     * needs no relay.
     */
    @Override
    public boolean sendWithinPublishingTransaction(OutboxMessage message, List<RegisteredConsumer> consumers) {
        insertAndWake(consumers.stream().map(consumer -> new Addressed(consumer, message)).toList());
        return true;
    }

    @Override
    public void wakeConsumers() {
        running.values().forEach(Workers::wakeOne);
    }

    private record Addressed(RegisteredConsumer consumer, OutboxMessage message) {
    }

    /** Inserts the deliveries in one round trip and, after the commit, wakes one idle worker per delivery. */
    private void insertAndWake(List<Addressed> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        Map<String, Integer> toWake = new HashMap<>();
        for (Addressed delivery : deliveries) {
            OutboxMessage message = delivery.message();
            Timestamp createdAt = Timestamp.from(message.createdAt());
            rows.add(new Object[] {delivery.consumer().name(), message.messageId(), message.topic(),
                    message.payload(), createdAt, createdAt});
            toWake.merge(delivery.consumer().name(), 1, Integer::sum);
        }
        // The key (consumer, message id) makes a second send of the same message a no-op while the first is
        // still waiting; once it was handled, the inbox recognises the copy.
        batch.batchUpdate("""
                insert into messaging_delivery (consumer, message_id, topic, payload, created_at,
                    next_attempt_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict do nothing""", rows);
        // Workers run only in processes with the worker role; the others' commits reach them by NOTIFY.
        AfterCommit.run(() -> toWake.forEach((name, count) -> {
            Workers workers = running.get(name);
            if (workers != null) {
                workers.signal.raise(count);
            }
        }));
    }

    @Override
    public void start(RegisteredConsumer consumer) {
        Workers workers = new Workers(consumer);
        if (running.putIfAbsent(consumer.name(), workers) == null) {
            workers.start();
        }
    }

    @Override
    public void stop(RegisteredConsumer consumer) {
        Workers workers = running.remove(consumer.name());
        if (workers != null) {
            workers.stop();
        }
    }

    @Override
    public List<DeadLetter> deadLetters(RegisteredConsumer consumer, int limit) {
        return jdbc.sql("""
                select message_id, consumer, topic, payload, last_error, attempts, dead_lettered_at
                from messaging_delivery where consumer = :consumer and dead_lettered_at is not null
                order by dead_lettered_at, message_id limit :limit""")
                .param("consumer", consumer.name()).param("limit", limit)
                .query((rs, row) -> new DeadLetter(rs.getObject("message_id", UUID.class), rs.getString("consumer"),
                        rs.getString("topic"), rs.getString("payload"), rs.getString("last_error"),
                        rs.getInt("attempts"), rs.getTimestamp("dead_lettered_at").toInstant()))
                .list();
    }

    @Override
    public int replay(RegisteredConsumer consumer, @Nullable UUID messageId) {
        int replayed = jdbc.sql("""
                update messaging_delivery set dead_lettered_at = null, attempts = 0, last_error = null,
                    next_attempt_at = :now
                where consumer = :consumer and dead_lettered_at is not null
                  and (cast(:id as uuid) is null or message_id = cast(:id as uuid))""")
                .param("now", Timestamp.from(clock.instant())).param("consumer", consumer.name())
                .param("id", messageId == null ? null : messageId.toString()).update();
        Workers workers = running.get(consumer.name());
        if (workers != null && replayed > 0) {
            workers.signal.raise();
        }
        return replayed;
    }

    @Override
    public Figures figures(RegisteredConsumer consumer) {
        return jdbc.sql("""
                select count(*) filter (where dead_lettered_at is null) as lag,
                       count(*) filter (where dead_lettered_at is not null) as dead
                from messaging_delivery where consumer = :consumer""")
                .param("consumer", consumer.name())
                .query((rs, row) -> new Figures(rs.getLong("lag"), rs.getLong("dead"))).single();
    }

    /** The worker threads of one consumer; they share a signal raised when deliveries for it arrive. */
    private final class Workers {

        final RegisteredConsumer consumer;
        final Signal signal = new Signal();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean stopped;

        Workers(RegisteredConsumer consumer) {
            this.consumer = consumer;
        }

        void wakeOne() {
            signal.raise(1);
        }

        void start() {
            for (int i = 0; i < consumer.concurrency(); i++) {
                threads.add(Thread.ofVirtual().name("consumer-" + consumer.name() + "-" + i).start(this::run));
            }
        }

        void stop() {
            stopped = true;
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                try {
                    thread.join(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void run() {
            while (!stopped) {
                long seen = signal.generation();
                try {
                    while (!stopped && handleBatch() == Taken.ONE_OF_MORE) {
                        // Keep going while there is work.
                    }
                    signal.awaitAfter(seen, properties.pollInterval());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (stopped) {
                        return;
                    }
                    log.warn("Consumer {} could not take a delivery; trying again in {}", consumer.name(),
                            properties.pollInterval(), e);
                    Signal.sleepQuietly(properties.pollInterval());
                }
            }
        }

        /** @return whether deliveries were due, and whether more were than this worker took */
        private Taken handleBatch() {
            List<String> results = new ArrayList<>();
            Taken taken = transaction.execute(status -> {
                Instant now = clock.instant();
                List<Due> dueNow = jdbc.sql(take).param("consumer", consumer.name()).param("now", Timestamp.from(now))
                        .query((rs, row) -> new Due(rs.getObject("message_id", UUID.class), rs.getString("topic"),
                                rs.getString("payload"), rs.getTimestamp("created_at"), rs.getInt("attempts"),
                                rs.getBoolean("first_time"), rs.getLong("due_before")))
                        .list().stream().sorted(Comparator.comparing(Due::createdAt)).toList();
                if (dueNow.isEmpty()) {
                    return Taken.NONE;
                }
                for (Due due : dueNow) {
                    // A copy of a message handled before (sent again after a crash, or published twice) is known
                    // to the inbox and only taken.
                    results.add(due.firstTime() ? handle(due, status, now) : "duplicate");
                }
                return dueNow.getFirst().dueBefore() > dueNow.size() ? Taken.ONE_OF_MORE : Taken.THE_LAST;
            });
            // Counted once committed: a transaction that fails puts every row of the batch back.
            results.forEach(result -> metrics.consumed(consumer.name(), result));
            return taken == null ? Taken.NONE : taken;
        }

        /** Runs the handler after a savepoint; a failure rolls back to it and puts the row back. */
        private String handle(Due due, TransactionStatus status, Instant now) {
            // Never released: it ends with the transaction, and releasing it would cost a round trip.
            Object beforeHandler = status.createSavepoint();
            try {
                inbox.handle(consumer, due.messageId(), due.topic(), due.payload());
                return "ok";
            } catch (RuntimeException e) {
                status.rollbackToSavepoint(beforeHandler);
                return failed(due, e, now);
            }
        }

        /**
         * Puts the taken row back with the failure recorded; the rollback to the savepoint kept its deletion and
         * its inbox entry, which {@link #putBack} removes.
         */
        private String failed(Due due, RuntimeException error, Instant now) {
            String message = describe(error);
            if (DatabaseOutages.isDatabaseOutage(error)) {
                // Usually the connection is gone and this insert fails too: the transaction rolls back and the
                // row is back as it was.
                Duration delay = properties.retry().delayBefore(1);
                putBack(due, due.attempts(), message, now.plus(delay), null);
                log.warn("Consumer {} could not reach the database for message {} ({}); again in {}, not counted "
                        + "as a retry: {}", consumer.name(), due.messageId(), due.topic(), delay, message);
                AfterCommit.run(() -> timer.schedule(this::wakeOne, delay.toMillis(), TimeUnit.MILLISECONDS));
                return "deferred";
            }
            int attempts = due.attempts() + 1;
            if (attempts > properties.retry().maxRetries()) {
                putBack(due, attempts, message, now, now);
                log.error("ALERT consumer {} dead-lettered message {} ({}) after {} attempts: {}", consumer.name(),
                        due.messageId(), due.topic(), attempts, message);
                return "dead";
            }
            Duration delay = properties.retry().delayBefore(attempts);
            putBack(due, attempts, message, now.plus(delay), null);
            log.warn("Consumer {} failed on message {} ({}), retry {} in {}: {}", consumer.name(), due.messageId(),
                    due.topic(), attempts, delay, message);
            AfterCommit.run(() -> timer.schedule(this::wakeOne, delay.toMillis(), TimeUnit.MILLISECONDS));
            return "retry";
        }

        /** Puts the row back and takes its id out of the inbox again, which the claim put there. */
        private void putBack(Due due, int attempts, String error, Instant nextAttemptAt,
                @Nullable Instant deadLetteredAt) {
            jdbc.sql("""
                    with forgotten as (
                        delete from messaging_inbox where consumer = :consumer and message_id = :id
                    )
                    insert into messaging_delivery (consumer, message_id, topic, payload, created_at,
                        next_attempt_at, attempts, last_error, dead_lettered_at)
                    values (:consumer, :id, :topic, :payload, :createdAt, :next, :attempts, :error, :dead)""")
                    .param("consumer", consumer.name()).param("id", due.messageId()).param("topic", due.topic())
                    .param("payload", due.payload()).param("createdAt", due.createdAt())
                    .param("next", Timestamp.from(nextAttemptAt)).param("attempts", attempts)
                    .param("error", error)
                    .param("dead", deadLetteredAt == null ? null : Timestamp.from(deadLetteredAt), Types.TIMESTAMP)
                    .update();
        }
    }

    /**
     * Taking rows is deleting them: the delete holds the rows' locks until the transaction ends, and a rollback (or
     * a crash) puts them back as they were. The same statement records the message ids in the inbox, so a batch
     * is taken and marked as handled in one round trip (a failed handler takes its id back out when it puts its row
     * back), and counts the rows that were due, the taken ones included, to tell the worker whether to look again.
     * The batch size is written into the statement so that its one plan fits it.
     */
    private static String takeStatement(int batchSize) {
        return """
                with taken as (
                    delete from messaging_delivery
                    where (consumer, message_id) in (
                        select consumer, message_id from messaging_delivery
                        where consumer = :consumer and dead_lettered_at is null and next_attempt_at <= :now
                        order by next_attempt_at limit %d
                        for update skip locked)
                    returning message_id, topic, payload, created_at, attempts
                ), recorded as (
                    insert into messaging_inbox (consumer, message_id, processed_at)
                    select :consumer, message_id, :now from taken
                    on conflict do nothing
                    returning message_id
                ), due as (
                    select count(*) as due_before from (
                        select 1 from messaging_delivery
                        where consumer = :consumer and dead_lettered_at is null and next_attempt_at <= :now
                        limit %d) first_due
                )
                select taken.*, recorded.message_id is not null as first_time, due.due_before
                from taken left join recorded using (message_id) cross join due""".formatted(batchSize, batchSize + 1);
    }

    static String describe(Throwable error) {
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
}
