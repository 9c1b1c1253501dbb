package kami.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import kami.messaging.Subscription;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The messaging contract on the embedded transport, in the shared test context, and what is particular to it:
 * messages are written for their consumers by the publishing transaction, and workers take them in batches.
 */
class EmbeddedTransportContractTest extends MessagingContract {

    @Test
    void aMessageForAKnownConsumerIsWrittenForItByThePublishingTransactionAndNeverEntersTheOutbox()
            throws InterruptedException {
        String consumer = consumer(note -> false);
        var messageId = transaction.execute(status -> {
            var id = outbox.publish(topicOf(consumer), new Note("direct"));
            assertThat(jdbc.sql("select count(*) from messaging_delivery where consumer = :c and message_id = :id")
                    .param("c", consumer).param("id", id).query(Integer.class).single())
                    .as("the delivery row, written before the commit").isEqualTo(1);
            return id;
        });
        assertThat(outboxAttempts(messageId)).as("no outbox row").isEqualTo(-1);
        await("the message is handled", WAIT, () -> effects(consumer, "direct") == 1);
        settle();
        assertThat(effects(consumer, "direct")).isEqualTo(1);
    }

    @Test
    void aFailingHandlerInABatchUndoesNothingOfTheOthersInIt() throws InterruptedException {
        jdbc.sql("create table if not exists messaging_batch_effect (note_key text not null, txid bigint not null)")
                .update();
        String consumer = newConsumerName();
        registrations.add(consumers.register(Subscription.of(consumer, topicOf(consumer), Note.class, message -> {
            calls.computeIfAbsent(message.payload().key(), key -> new AtomicInteger()).incrementAndGet();
            jdbc.sql("insert into messaging_batch_effect (note_key, txid) values (:k, txid_current())")
                    .param("k", message.payload().key()).update();
            if (message.payload().key().endsWith("-poison")) {
                throw new IllegalStateException("handler refuses poison");
            }
        })));
        consumerNames.add(consumer);
        String poison = consumer + "-poison";
        List<String> good = IntStream.range(0, 5).mapToObj(i -> consumer + "-good-" + i).toList();
        // Due together: one commit makes all six due at once, within one batch of 8.
        transaction.executeWithoutResult(status -> {
            outbox.publish(topicOf(consumer), new Note(poison));
            good.forEach(key -> outbox.publish(topicOf(consumer), new Note(key)));
        });

        await("the good messages are handled", WAIT, () -> good.stream().allMatch(key -> batchEffects(key) == 1));
        await("the poison message is dead-lettered", WAIT, () -> deadLetters(consumer).size() == 1);
        settle();
        assertThat(good).as("each good message took effect once, its handler ran once")
                .allSatisfy(key -> {
                    assertThat(batchEffects(key)).isEqualTo(1);
                    assertThat(callsOf(key)).isEqualTo(1);
                });
        assertThat(batchEffects(poison)).as("every attempt of the poison was rolled back").isZero();
        assertThat(callsOf(poison)).as("one attempt and three retries").isEqualTo(4);
        JsonNode letter = deadLetters(consumer).get(0);
        assertThat(letter.get("attempts").asInt()).isEqualTo(4);
        int transactions = jdbc.sql("select count(distinct txid) from messaging_batch_effect where note_key like :good")
                .param("good", consumer + "-good-%").query(Integer.class).single();
        assertThat(transactions).as("five messages due together were handled in batches, not one transaction each")
                .isLessThan(good.size());
    }

    private int batchEffects(String key) {
        return jdbc.sql("select count(*) from messaging_batch_effect where note_key = :k").param("k", key)
                .query(Integer.class).single();
    }
}
