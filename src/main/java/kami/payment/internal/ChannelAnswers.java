package kami.payment.internal;

import java.time.Clock;
import java.time.Instant;
import kami.payment.channel.PaymentState;
import kami.payment.channel.PaymentState.Closed;
import kami.payment.channel.PaymentState.Paid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a channel's answer about a payment, from a query (scheduled, final, or a repair). Only a confirmed
 * payment of the right amount is recorded; an answer that proves nothing changes nothing.
 */
@Component
class ChannelAnswers {

    /** What applying an answer did. */
    enum Effect {
        RECORDED_PAID,
        ALREADY_PAID,
        CLOSED,
        NO_CHANGE,
        REFUSED
    }

    private static final Logger log = LoggerFactory.getLogger(ChannelAnswers.class);

    private final PaymentRecorder recorder;
    private final TransactionTemplate transaction;
    private final Clock clock;

    ChannelAnswers(PaymentRecorder recorder, TransactionTemplate transaction, Clock clock) {
        this.recorder = recorder;
        this.transaction = transaction;
        this.clock = clock;
    }

    Effect apply(PaymentRecord payment, PaymentState state) {
        Instant now = clock.instant();
        return switch (state) {
            case Paid paid -> recordPaid(payment, paid, now);
            case Closed closed -> recorder.closed(payment.paymentNo(), now) ? Effect.CLOSED : Effect.NO_CHANGE;
            case PaymentState.Pending pending -> Effect.NO_CHANGE;
            case PaymentState.NotFound notFound -> Effect.NO_CHANGE;
            case PaymentState.Unknown unknown -> Effect.NO_CHANGE;
        };
    }

    private Effect recordPaid(PaymentRecord payment, Paid paid, Instant now) {
        if (!paid.amount().equals(payment.amount())) {
            log.error("ALERT channel {} reports payment {} paid with {}, but the payment is {}: not recorded",
                    payment.channel(), payment.paymentNo(), paid.amount(), payment.amount());
            return Effect.REFUSED;
        }
        try {
            PaymentRecorder.Recorded recorded = transaction.execute(status -> recorder.paid(payment, paid, now));
            return switch (recorded) {
                case NOW -> Effect.RECORDED_PAID;
                case BEFORE -> Effect.ALREADY_PAID;
                case OTHER_TRADE -> Effect.REFUSED;
                case null -> throw new IllegalStateException("no answer from the transaction");
            };
        } catch (DuplicateKeyException e) {
            log.error("ALERT channel {} reports trade {} for payment {}, but that trade belongs to another payment",
                    payment.channel(), paid.channelTradeNo(), payment.paymentNo());
            return Effect.REFUSED;
        }
    }
}
