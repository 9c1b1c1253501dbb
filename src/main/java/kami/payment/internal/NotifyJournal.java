package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps every notify as received, with its verdict, so disputes and forgeries can be investigated later. */
@Component
class NotifyJournal {

    enum Verdict { ACCEPTED, DUPLICATE, REJECTED }

    private final JdbcClient jdbc;

    NotifyJournal(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String channel, Instant receivedAt, @Nullable String paymentNo, Verdict verdict,
            @Nullable String reason, @Nullable String signature, String rawBody) {
        jdbc.sql("""
                insert into notify_journal (channel, received_at, payment_no, verdict, reason, signature, raw_body)
                values (:channel, :at, :payment, :verdict, :reason, :signature, :body)""")
                .param("channel", channel).param("at", Timestamp.from(receivedAt)).param("payment", paymentNo)
                .param("verdict", verdict.name()).param("reason", reason).param("signature", signature)
                .param("body", rawBody).update();
    }
}
