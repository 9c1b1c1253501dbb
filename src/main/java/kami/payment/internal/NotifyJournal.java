package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps every notify as received, before anything else happens to it, and then its verdict, so disputes and
 * forgeries can be investigated later and nothing a channel sent is lost to a crash.
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

    /**
     * Journals the raw notify on its own and returns its id. The commit does not wait for the disk: until Kami
     * acknowledges a notify the channel sends it again, so a row lost to a crash in the next instant loses
     * nothing, and the notify's effect (with its verdict) is committed durably before any acknowledgement.
     * <p>
     * One statement, one round trip ({@link NoWaitCommit}); the row is inserted only if the setting took.
     */
    long received(String channel, Instant receivedAt, Map<String, String> headers, String rawBody) {
        NoWaitCommit.requireOwnTransaction("a notify is journaled");
        return jdbc.sql("""
                insert into notify_journal (channel, received_at, verdict, headers, raw_body)
                select :channel, :at, 'RECEIVED', :headers, :body
                where set_config('synchronous_commit', 'off', true) = 'off'
                returning id""")
                .param("channel", channel).param("at", Timestamp.from(receivedAt))
                .param("headers", json.writeValueAsString(headers)).param("body", rawBody)
                .query(Long.class).single();
    }

    /** Records the verdict, in the transaction that applies the notify's effect when there is one. */
    void verdict(long id, @Nullable String paymentNo, Verdict verdict, @Nullable String reason) {
        jdbc.sql("update notify_journal set payment_no = :payment, verdict = :verdict, reason = :reason where id = :id")
                .param("payment", paymentNo).param("verdict", verdict.name()).param("reason", reason)
                .param("id", id).update();
    }
}
