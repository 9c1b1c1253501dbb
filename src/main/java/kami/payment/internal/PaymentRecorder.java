package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import kami.payment.PaymentSucceeded;
import kami.payment.channel.PaymentState.Paid;
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
        Optional<PaymentRecord> recorded = jdbc.sql("""
                update payment set status = 'SUCCEEDED', channel_trade_no = :trade, succeeded_at = :now,
                    next_query_at = null
                where payment_no = :no and channel = :channel and amount_minor = :amount and currency = :currency
                    and status in ('PENDING', 'CLOSED')
                returning *""")
                .param("trade", paid.channelTradeNo()).param("now", Timestamp.from(recordedAt))
                .param("no", paymentNo).param("channel", channel).param("amount", paid.amount().amountMinor())
                .param("currency", paid.amount().currencyCode())
                .query(JdbcPayments.RECORD).optional();
        recorded.ifPresent(payment -> announce(payment, paid, recordedAt));
        return recorded.isPresent();
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
