package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import kami.payment.PaymentSucceeded;
import kami.payment.channel.PaymentState.Paid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records what a channel confirmed, whichever driver learnt it (notify, scheduled query, final query, repair).
 * Every change is a conditional update from the expected status, so two drivers learning the same success at the
 * same moment record it once.
 */
@Component
class PaymentRecorder {

    enum Recorded {
        /** This call recorded the success and announced it. */
        NOW,
        /** The same trade was recorded before. */
        BEFORE,
        /** The payment succeeded earlier with another trade: the payer paid twice. */
        OTHER_TRADE
    }

    private static final Logger log = LoggerFactory.getLogger(PaymentRecorder.class);

    /**
     * The conditional update of {@link #paidAsNamed}, returning the payment it changed; bound by
     * {@link #bindSuccess}.
     */
    private static final String RECORD_SUCCESS = """
            update payment set status = 'SUCCEEDED', channel_trade_no = :trade, succeeded_at = :now,
                next_query_at = null
            where payment_no = :no and channel = :channel and amount_minor = :amount and currency = :currency
                and status in ('PENDING', 'CLOSED')
            returning *""";

    private final JdbcClient jdbc;
    private final JdbcPayments payments;
    private final ApplicationEventPublisher events;
    private final PaymentMetrics metrics;

    PaymentRecorder(JdbcClient jdbc, JdbcPayments payments, ApplicationEventPublisher events,
            PaymentMetrics metrics) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Records a channel's word that the payment it names was paid, in one statement, when the payment is this
     * channel's, for this amount, and pending or closed. Returns whether it did; when not, the caller reads the
     * payment to learn why (and {@link #paid} tells a repeat from a second trade).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean paidAsNamed(String channel, String paymentNo, Paid paid, Instant recordedAt) {
        Optional<PaymentRecord> recorded = bindSuccess(jdbc.sql(RECORD_SUCCESS), channel, paymentNo, paid,
                recordedAt).query(JdbcPayments.RECORD).optional();
        recorded.ifPresent(payment -> announce(payment, paid, recordedAt));
        return recorded.isPresent();
    }

    private static JdbcClient.StatementSpec bindSuccess(JdbcClient.StatementSpec statement, String channel,
            String paymentNo, Paid paid, Instant recordedAt) {
        return statement.param("trade", paid.channelTradeNo()).param("now", Timestamp.from(recordedAt))
                .param("no", paymentNo).param("channel", channel).param("amount", paid.amount().amountMinor())
                .param("currency", paid.amount().currencyCode());
    }

    /** A notify's journal entry, and whether the success it reports was recorded with it. */
    record JournaledSuccess(long journalId, boolean recorded) {
    }

    /**
     * {@link #paidAsNamed} for a notify, with the notify's journal entry written by the same statement: ACCEPTED
     * when the success was recorded, else RECEIVED, for the caller to judge. One round trip, and the entry commits
     * (or not) with the success, so the usual notify needs neither a commit of its own for the journal nor a second
     * write for its verdict.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    JournaledSuccess paidAsNotified(NotifyJournal.Entry notify, String paymentNo, Paid paid) {
        record Row(long journalId, @Nullable PaymentRecord recorded) {
        }
        Row row = bindSuccess(jdbc.sql("with paid as (" + RECORD_SUCCESS + """
                ),
                journaled as (
                    insert into notify_journal (channel, received_at, verdict, payment_no, headers, raw_body)
                    select :channel, :now, case when exists (select 1 from paid) then 'ACCEPTED' else 'RECEIVED' end,
                        (select payment_no from paid), :headers, :body
                    returning id)
                select paid.*, journaled.id as journal_id from journaled left join paid on true"""),
                notify.channel(), paymentNo, paid, notify.receivedAt())
                .param("headers", notify.headersJson()).param("body", notify.rawBody())
                .query((rs, n) -> new Row(rs.getLong("journal_id"),
                        rs.getString("payment_no") == null ? null : JdbcPayments.RECORD.mapRow(rs, n)))
                .single();
        if (row.recorded() != null) {
            announce(row.recorded(), paid, notify.receivedAt());
        }
        return new JournaledSuccess(row.journalId(), row.recorded() != null);
    }

    /** The caller has checked the amount against the payment. */
    @Transactional(propagation = Propagation.MANDATORY)
    Recorded paid(PaymentRecord payment, Paid paid, Instant recordedAt) {
        if (!paid.amount().equals(payment.amount())) {
            throw new IllegalArgumentException("amount " + paid.amount() + " differs from payment " + payment);
        }
        // A payment's channel and amount never change, so they match here and only the status decides.
        if (paidAsNamed(payment.channel(), payment.paymentNo(), paid, recordedAt)) {
            return Recorded.NOW;
        }
        PaymentRecord current = payments.find(payment.paymentNo()).orElseThrow();
        if (paid.channelTradeNo().equals(current.channelTradeNo())) {
            return Recorded.BEFORE;
        }
        log.error("ALERT payment {} already succeeded with trade {}; a second trade {} was reported: refund needed",
                current.paymentNo(), current.channelTradeNo(), paid.channelTradeNo());
        return Recorded.OTHER_TRADE;
    }

    private void announce(PaymentRecord payment, Paid paid, Instant recordedAt) {
        events.publishEvent(new PaymentSucceeded(payment.paymentNo(), payment.orderNo(), payment.amount(),
                payment.channel(), paid.channelTradeNo(), recordedAt, payment.purpose(), payment.merchantId()));
        metrics.succeeded(payment.channel());
    }

    /** The channel says the payment can no longer be paid; returns whether this call closed it. */
    boolean closed(String paymentNo, Instant closedAt) {
        return jdbc.sql("""
                update payment set status = 'CLOSED', closed_at = :now, next_query_at = null
                where payment_no = :no and status = 'PENDING'""")
                .param("now", Timestamp.from(closedAt)).param("no", paymentNo).update() == 1;
    }
}
