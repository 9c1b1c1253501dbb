package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
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
    private final TransactionTemplate transaction;

    NotifyJournal(JdbcClient jdbc, ObjectMapper json, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.json = json;
        this.transaction = transaction;
    }

    /**
     * Journals the raw notify on its own and returns its id. The commit does not wait for the disk: until Kami
     * acknowledges a notify the channel sends it again, so a row lost to a crash in the next instant loses
     * nothing, and the notify's effect (with its verdict) is committed durably before any acknowledgement.
     */
    long received(String channel, Instant receivedAt, Map<String, String> headers, String rawBody) {
        Long id = transaction.execute(status -> {
            jdbc.sql("set local synchronous_commit to off").update();
            return jdbc.sql("""
                    insert into notify_journal (channel, received_at, verdict, headers, raw_body)
                    values (:channel, :at, 'RECEIVED', :headers, :body)
                    returning id""")
                    .param("channel", channel).param("at", Timestamp.from(receivedAt))
                    .param("headers", json.writeValueAsString(headers)).param("body", rawBody)
                    .query(Long.class).single();
        });
        return Objects.requireNonNull(id);
    }

    /** Records the verdict, in the transaction that applies the notify's effect when there is one. */
    void verdict(long id, @Nullable String paymentNo, Verdict verdict, @Nullable String reason) {
        jdbc.sql("update notify_journal set payment_no = :payment, verdict = :verdict, reason = :reason where id = :id")
                .param("payment", paymentNo).param("verdict", verdict.name()).param("reason", reason)
                .param("id", id).update();
    }
}
