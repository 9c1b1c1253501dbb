package kami.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.function.Predicate;
import kami.messaging.Consumers;
import kami.messaging.Outbox;
import kami.messaging.Subscription;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What every transport must do, run against each of them by a subclass. Each test registers its own consumer
 * (unique name and topic) whose handler writes an effect row in the consumer's transaction, so the rows show
 * exactly which messages took effect, and how often.
 */
abstract class MessagingContract extends KamiIntegrationTest {

    /** A message body for the tests: {@code key} identifies the effect. */
    record Note(String key) {
    }

    @Autowired
    Outbox outbox;
    @Autowired
    Consumers consumers;
    @Autowired
    Relay relay;
    @Autowired
    Transport transport;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    MeterRegistry meters;

    final List<Consumers.Registration> registrations = new ArrayList<>();
    final List<String> consumerNames = new ArrayList<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @BeforeEach
    void effectTable() {
        jdbc.sql("""
                create table if not exists messaging_contract_effect (
                    consumer text not null, note_key text not null, message_id uuid not null)""").update();
    }

    @AfterEach
    void stopConsumers() {
        registrations.forEach(Consumers.Registration::stop);
        registrations.clear();
        consumerNames.forEach(this::forget);
        consumerNames.clear();
    }

    /** Removes what the transport keeps for a consumer of one test. */
    void forget(String consumer) {
    }

    @Test
    void aPublishedMessageIsHandledOnce() throws InterruptedException {
        String consumer = consumer(note -> false);
        publish(consumer, "one");
        await("the message is handled", WAIT, () -> effects(consumer, "one") == 1);
        settle();
        assertThat(effects(consumer, "one")).isEqualTo(1);
        assertThat(callsOf("one")).isEqualTo(1);
    }

    @Test
    void aMessageDeliveredAgainTakesEffectOnce() throws InterruptedException {
        String consumer = consumer(note -> false);
        UUID messageId = publish(consumer, "twice");
        await("the message is handled", WAIT, () -> effects(consumer, "twice") == 1);
        sendAgain(messageId, consumer, "twice");
        sendAgain(messageId, consumer, "twice");
        await("the copies are recognised", WAIT, () -> consumed(consumer, "duplicate") >= 1);
        settle();
        assertThat(effects(consumer, "twice")).as("effects of one message id").isEqualTo(1);
        assertThat(callsOf("twice")).as("handler runs").isEqualTo(1);
    }

    @Test
    void aHandlerThatFailsTwiceIsRetriedAndTakesEffectOnce() throws InterruptedException {
        AtomicInteger failures = new AtomicInteger();
        String consumer = consumer(note -> failures.incrementAndGet() <= 2);
        publish(consumer, "flaky");
        await("the third attempt succeeds", WAIT, () -> effects(consumer, "flaky") == 1);
        settle();
        assertThat(callsOf("flaky")).as("attempts").isEqualTo(3);
        assertThat(effects(consumer, "flaky")).as("failed attempts were rolled back").isEqualTo(1);
        assertThat(consumed(consumer, "retry")).isEqualTo(2);
        assertThat(deadLetters(consumer).size()).isZero();
    }

    @Test
    void aDatabaseOutageDoesNotUseUpTheRetries() throws InterruptedException {
        AtomicInteger outages = new AtomicInteger();
        String consumer = consumer(note -> false, note -> outages.incrementAndGet() <= 5);
        publish(consumer, "outage");
        await("handled once the database is back", WAIT, () -> effects(consumer, "outage") == 1);
        settle();
        assertThat(callsOf("outage")).as("five attempts during the outage, one after it").isEqualTo(6);
        assertThat(effects(consumer, "outage")).isEqualTo(1);
        assertThat(consumed(consumer, "deferred")).isEqualTo(5);
        assertThat(consumed(consumer, "retry")).as("retries used").isZero();
        assertThat(deadLetters(consumer).size()).isZero();
    }

    @Test
    void aPoisonMessageIsDeadLetteredAfterThreeRetriesAndReplayedOnceFixed() throws InterruptedException {
        AtomicBoolean fixed = new AtomicBoolean();
        String consumer = consumer(note -> note.key().equals("poison") && !fixed.get());
        UUID poison = publish(consumer, "poison");
        for (int i = 0; i < 5; i++) {
            publish(consumer, "good-" + i);
        }
        await("the good messages flow past the poison", WAIT,
                () -> IntStream.range(0, 5).allMatch(i -> effects(consumer, "good-" + i) == 1));
        await("the poison message is dead-lettered", WAIT, () -> deadLetters(consumer).size() == 1);
        JsonNode letter = deadLetters(consumer).get(0);
        assertThat(letter.get("messageId").asString()).isEqualTo(poison.toString());
        assertThat(letter.get("consumer").asString()).isEqualTo(consumer);
        assertThat(letter.get("topic").asString()).isEqualTo(topicOf(consumer));
        assertThat(letter.get("payload").asString()).contains("poison");
        assertThat(letter.get("attempts").asInt()).isEqualTo(4);
        assertThat(letter.get("lastError").asString()).contains("handler refuses poison");
        assertThat(callsOf("poison")).as("one attempt and three retries").isEqualTo(4);
        assertThat(effects(consumer, "poison")).isZero();
        JsonNode status = http.adminGet("/api/admin/messaging/status").json();
        JsonNode mine = status.get("consumers").valueStream()
                .filter(c -> c.get("consumer").asString().equals(consumer)).findFirst().orElseThrow();
        assertThat(mine.get("deadLetters").asLong()).isEqualTo(1);

        fixed.set(true);
        Http.Response replayed = http.adminPost("/api/admin/messaging/dead-letters/" + consumer + "/" + poison
                + "/replay", "", "application/json");
        assertThat(replayed.status()).isEqualTo(200);
        await("the replayed message is handled", WAIT, () -> effects(consumer, "poison") == 1);
        settle();
        assertThat(effects(consumer, "poison")).isEqualTo(1);
        assertThat(deadLetters(consumer).size()).isZero();
        assertThat(http.adminPost("/api/admin/messaging/dead-letters/" + consumer + "/" + poison + "/replay", "",
                "application/json").status()).isEqualTo(404);
    }

    @Test
    void aMessageFromARolledBackTransactionIsNeverDelivered() throws InterruptedException {
        String consumer = consumer(note -> false);
        transaction.executeWithoutResult(status -> {
            outbox.publish(topicOf(consumer), new Note("rolled-back"));
            status.setRollbackOnly();
        });
        publish(consumer, "committed");
        await("the committed message is handled", WAIT, () -> effects(consumer, "committed") == 1);
        settle();
        assertThat(effects(consumer, "rolled-back")).isZero();
        assertThat(callsOf("rolled-back")).isZero();
    }

    @Test
    void everyMessageFromSixteenPublishersIsHandledExactlyOnce() throws Exception {
        int threads = 16;
        int perThread = messagesPerPublisher();
        String consumer = consumer(note -> false);
        AtomicBoolean publishing = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads + 2)) {
            // Two extra relays race the regular one for the same rows.
            List<Future<?>> relays = IntStream.range(0, 2).mapToObj(i -> pool.submit(() -> {
                while (publishing.get()) {
                    relay.relayAll();
                }
            })).collect(Collectors.toList());
            List<Future<?>> publishers = IntStream.range(0, threads).mapToObj(t -> pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    publish(consumer, t + "-" + i);
                }
            })).collect(Collectors.toList());
            for (Future<?> publisher : publishers) {
                publisher.get();
            }
            publishing.set(false);
            for (Future<?> extra : relays) {
                extra.get();
            }
        }
        int total = threads * perThread;
        await("all messages are handled", Duration.ofSeconds(120), () -> effectsByKey(consumer).size() == total);
        settle();
        Map<String, Integer> counts = effectsByKey(consumer);
        assertThat(counts).hasSize(total);
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() != 1).toList()).as("duplicates").isEmpty();
    }

    @Test
    void aMessageNoConsumerTakesIsPutBackWithItsErrorAndDeliveredOnceAConsumerTakesIt()
            throws InterruptedException {
        String name = newConsumerName();
        UUID messageId = transaction.execute(status -> outbox.publish(topicOf(name), new Note("early")));
        relay.relayAll();
        await("the relay puts the unroutable message back", WAIT, () -> outboxAttempts(messageId) >= 1);
        assertThat(jdbc.sql("select last_error from messaging_outbox where message_id = :id").param("id", messageId)
                .query(String.class).single()).startsWith("unroutable");
        assertThat(jdbc.sql("select available_at > created_at from messaging_outbox where message_id = :id")
                .param("id", messageId).query(Boolean.class).single()).as("due again only after a backoff").isTrue();

        consumer(name, note -> false, note -> false);
        jdbc.sql("update messaging_outbox set available_at = created_at where message_id = :id").param("id", messageId)
                .update();
        relay.wake();
        await("the message is handled", WAIT, () -> effects(name, "early") == 1);
        settle();
        assertThat(effects(name, "early")).isEqualTo(1);
        assertThat(outboxAttempts(messageId)).as("the row left the outbox").isEqualTo(-1);
    }

    /** The message's attempts so far while it is in the outbox, -1 once it left. */
    int outboxAttempts(UUID messageId) {
        return jdbc.sql("select attempts from messaging_outbox where message_id = :id").param("id", messageId)
                .query(Integer.class).optional().orElse(-1);
    }

    int messagesPerPublisher() {
        return 50;
    }

    /** Registers a consumer whose handler records an effect, then fails while {@code failing} says so. */
    String consumer(Predicate<Note> failing) {
        return consumer(failing, note -> false);
    }

    /** Like {@link #consumer(Predicate)}; fails as if the database were unreachable while {@code unreachable}. */
    String consumer(Predicate<Note> failing, Predicate<Note> unreachable) {
        return consumer(newConsumerName(), failing, unreachable);
    }

    static String newConsumerName() {
        return "contract-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String consumer(String name, Predicate<Note> failing, Predicate<Note> unreachable) {
        registrations.add(consumers.register(Subscription.of(name, topicOf(name), Note.class, message -> {
            calls.computeIfAbsent(message.payload().key(), key -> new AtomicInteger()).incrementAndGet();
            jdbc.sql("insert into messaging_contract_effect (consumer, note_key, message_id) values (:c, :k, :id)")
                    .param("c", name).param("k", message.payload().key()).param("id", message.messageId()).update();
            if (unreachable.test(message.payload())) {
                throw new CannotGetJdbcConnectionException("database unreachable",
                        new SQLException("Connection refused", "08001"));
            }
            if (failing.test(message.payload())) {
                throw new IllegalStateException("handler refuses " + message.payload().key());
            }
        })));
        consumerNames.add(name);
        return name;
    }

    static String topicOf(String consumer) {
        return "test." + consumer;
    }

    UUID publish(String consumer, String key) {
        return transaction.execute(status -> outbox.publish(topicOf(consumer), new Note(key)));
    }

    int effects(String consumer, String key) {
        return jdbc.sql("select count(*) from messaging_contract_effect where consumer = :c and note_key = :k")
                .param("c", consumer).param("k", key).query(Integer.class).single();
    }

    Map<String, Integer> effectsByKey(String consumer) {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        jdbc.sql("select note_key, count(*) as n from messaging_contract_effect where consumer = :c group by note_key")
                .param("c", consumer)
                .query(rs -> {
                    counts.put(rs.getString("note_key"), rs.getInt("n"));
                });
        return counts;
    }

    int callsOf(String key) {
        AtomicInteger count = calls.get(key);
        return count == null ? 0 : count.get();
    }

    double consumed(String consumer, String result) {
        var counter = meters.find("kami.messaging.consumed").tags("consumer", consumer, "result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    JsonNode deadLetters(String consumer) {
        return http.adminGet("/api/admin/messaging/dead-letters?consumer=" + consumer).json();
    }

    /** Sends a message to the transport again, as a relay that crashed before deleting its row would. */
    void sendAgain(UUID messageId, String consumer, String key) {
        OutboxMessage copy = new OutboxMessage(messageId, topicOf(consumer), Http.toJson(new Note(key)),
                Instant.now(), 0);
        Map<UUID, Transport.SendResult> results = transaction.execute(status -> transport.send(List.of(copy)));
        assertThat(results).containsEntry(messageId, Transport.SendResult.CONFIRMED);
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    /** Lets a few more deliveries happen, if any were going to. */
    static void settle() throws InterruptedException {
        Thread.sleep(300);
    }
}
