package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps every notify as received, with its verdict, so disputes and forgeries can be investigated later and nothing
 * a channel sent is lost to a crash: a verified success is journaled by the statement that records it
 * ({@link PaymentRecorder#paidAsNotified}), every other notify on its own before it is handled, and a notify whose
 * handling failed with the failure.
 */
@Component
class NotifyJournal {

    enum Verdict { RECEIVED, ACCEPTED, DUPLICATE, REJECTED, IGNORED }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    NotifyJournal(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A notify as it is journaled: its account, arrival, headers as JSON and raw body. */
    record Entry(String channel, Instant receivedAt, String headersJson, String rawBody) {
    }

    Entry entry(String channel, Instant receivedAt, Map<String, String> headers, String rawBody) {
        return new Entry(channel, receivedAt, json.writeValueAsString(headers), rawBody);
    }

    /**
     * Journals the raw notify on its own and returns its id. The commit does not wait for the disk: until Kami
     * acknowledges a notify the channel sends it again, so a row lost to a crash in the next instant loses
     * nothing, and the notify's effect (with its verdict) is committed durably before any acknowledgement.
     * <p>
     * One statement, one round trip ({@link NoWaitCommit}); the row is inserted only if the setting took.
     */
    long received(Entry entry) {
        NoWaitCommit.requireOwnTransaction("a notify is journaled");
        return jdbc.sql("""
                insert into notify_journal (channel, received_at, verdict, headers, raw_body)
                select :channel, :at, 'RECEIVED', :headers, :body
                where set_config('synchronous_commit', 'off', true) = 'off'
                returning id""")
                .param("channel", entry.channel()).param("at", Timestamp.from(entry.receivedAt()))
                .param("headers", entry.headersJson()).param("body", entry.rawBody())
                .query(Long.class).single();
    }

    /** Records the verdict, in the transaction that applies the notify's effect when there is one. */
    void verdict(long id, @Nullable String paymentNo, Verdict verdict, @Nullable String reason) {
        jdbc.sql("update notify_journal set payment_no = :payment, verdict = :verdict, reason = :reason where id = :id")
                .param("payment", paymentNo).param("verdict", verdict.name()).param("reason", reason)
                .param("id", id).update();
    }
}
