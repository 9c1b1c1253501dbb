package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import kami.payment.PaymentSucceeded;
import kami.payment.internal.NotifyJournal.Verdict;
import kami.payment.internal.NotifyOutcome.Acknowledged;
import kami.payment.internal.NotifyOutcome.Rejected;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Verifies a sandbox notify and records the payment's success exactly once. Checks run cheapest first and each
 * rejection is journaled with its reason; nothing changes state unless every check passed.
 */
@Component
class SandboxNotifyHandler {

    static final String CHANNEL = "sandbox";
    static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(SandboxNotifyHandler.class);

    private final SandboxSignature signature;
    private final ObjectMapper json;
    private final JdbcClient jdbc;
    private final JdbcPayments payments;
    private final NotifyJournal journal;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SandboxNotifyHandler(SandboxProperties properties, ObjectMapper json, JdbcClient jdbc, JdbcPayments payments,
            NotifyJournal journal, TransactionTemplate transaction, ApplicationEventPublisher events, Clock clock) {
        this.signature = new SandboxSignature(properties.secret());
        this.json = json;
        this.jdbc = jdbc;
        this.payments = payments;
        this.journal = journal;
        this.transaction = transaction;
        this.events = events;
        this.clock = clock;
    }

    NotifyOutcome handle(String rawBody, @Nullable String signatureHex) {
        Instant receivedAt = clock.instant();
        SandboxNotify notify = parse(rawBody);
        // The payment number of a rejected notify is journaled too, unverified, to help investigate it.
        String claimedPaymentNo = notify == null ? null : notify.paymentNo();
        if (!signature.verify(rawBody, signatureHex)) {
            return reject(rawBody, signatureHex, claimedPaymentNo, receivedAt,
                    new Rejected(HttpStatus.UNAUTHORIZED, "INVALID_SIGNATURE", "signature does not match the body"));
        }
        if (notify == null) {
            return reject(rawBody, signatureHex, null, receivedAt,
                    new Rejected(HttpStatus.BAD_REQUEST, "MALFORMED_NOTIFY", "body is not a sandbox notify"));
        }
        if (notify.paymentNo() == null || notify.channelTradeNo() == null || notify.currency() == null) {
            return reject(rawBody, signatureHex, notify.paymentNo(), receivedAt,
                    new Rejected(HttpStatus.BAD_REQUEST, "MALFORMED_NOTIFY", "paymentNo, channelTradeNo and "
                            + "currency are required"));
        }
        Duration age = Duration.between(Instant.ofEpochSecond(notify.timestamp()), receivedAt).abs();
        if (age.compareTo(TIMESTAMP_TOLERANCE) > 0) {
            return reject(rawBody, signatureHex, notify.paymentNo(), receivedAt,
                    new Rejected(HttpStatus.BAD_REQUEST, "STALE_NOTIFY", "timestamp is " + age.toSeconds()
                            + " s away from now; at most " + TIMESTAMP_TOLERANCE.toSeconds() + " s accepted"));
        }
        if (!"SUCCESS".equals(notify.status())) {
            return reject(rawBody, signatureHex, notify.paymentNo(), receivedAt,
                    new Rejected(HttpStatus.BAD_REQUEST, "UNSUPPORTED_STATUS", "status " + notify.status()
                            + " is not a payment success"));
        }
        PaymentRecord payment = payments.find(notify.paymentNo()).orElse(null);
        if (payment == null || !CHANNEL.equals(payment.channel())) {
            return reject(rawBody, signatureHex, notify.paymentNo(), receivedAt,
                    new Rejected(HttpStatus.NOT_FOUND, "UNKNOWN_PAYMENT", "no sandbox payment " + notify.paymentNo()));
        }
        if (payment.amount().amountMinor() != notify.amountMinor()
                || !payment.amount().currencyCode().equals(notify.currency())) {
            log.warn("Notify for {} carries {} {} but the payment is {}", payment.paymentNo(), notify.amountMinor(),
                    notify.currency(), payment.amount());
            return reject(rawBody, signatureHex, notify.paymentNo(), receivedAt,
                    new Rejected(HttpStatus.UNPROCESSABLE_CONTENT, "AMOUNT_MISMATCH", "amount or currency differs "
                            + "from the payment"));
        }
        try {
            return transaction.execute(status -> apply(payment, notify, rawBody, signatureHex, receivedAt));
        } catch (DuplicateKeyException e) {
            return reject(rawBody, signatureHex, notify.paymentNo(), receivedAt,
                    new Rejected(HttpStatus.CONFLICT, "TRADE_NO_REUSED", "channel trade number "
                            + notify.channelTradeNo() + " already belongs to another payment"));
        }
    }

    private @Nullable SandboxNotify parse(String rawBody) {
        try {
            return json.readValue(rawBody, SandboxNotify.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private NotifyOutcome apply(PaymentRecord payment, SandboxNotify notify, String rawBody,
            @Nullable String signatureHex, Instant receivedAt) {
        int changed = jdbc.sql("""
                update payment set status = 'SUCCEEDED', channel_trade_no = :trade, succeeded_at = :now
                where payment_no = :no and status = 'PENDING'""")
                .param("trade", notify.channelTradeNo()).param("now", Timestamp.from(receivedAt))
                .param("no", payment.paymentNo()).update();
        if (changed == 1) {
            journal.record(CHANNEL, receivedAt, payment.paymentNo(), Verdict.ACCEPTED, null, signatureHex, rawBody);
            events.publishEvent(new PaymentSucceeded(payment.paymentNo(), payment.orderNo(), payment.amount(),
                    CHANNEL, notify.channelTradeNo(), receivedAt));
            return new Acknowledged(true);
        }
        PaymentRecord current = payments.find(payment.paymentNo()).orElseThrow();
        if (notify.channelTradeNo().equals(current.channelTradeNo())) {
            journal.record(CHANNEL, receivedAt, payment.paymentNo(), Verdict.DUPLICATE, null, signatureHex, rawBody);
            return new Acknowledged(false);
        }
        // A second, different trade for a payment that already succeeded means the payer paid twice.
        log.error("Payment {} already succeeded with trade {}; a second trade {} was notified: refund needed",
                current.paymentNo(), current.channelTradeNo(), notify.channelTradeNo());
        Rejected rejected = new Rejected(HttpStatus.CONFLICT, "PAYMENT_ALREADY_SUCCEEDED",
                "payment already succeeded with another trade");
        journal.record(CHANNEL, receivedAt, payment.paymentNo(), Verdict.REJECTED, rejected.code(), signatureHex,
                rawBody);
        return rejected;
    }

    private Rejected reject(String rawBody, @Nullable String signatureHex, @Nullable String paymentNo,
            Instant receivedAt, Rejected rejected) {
        log.warn("Rejected sandbox notify for payment {}: {} ({})", paymentNo, rejected.code(), rejected.reason());
        journal.record(CHANNEL, receivedAt, paymentNo, Verdict.REJECTED, rejected.code() + ": " + rejected.reason(),
                signatureHex, rawBody);
        return rejected;
    }
}
