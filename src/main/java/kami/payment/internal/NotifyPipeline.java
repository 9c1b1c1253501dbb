package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.NotifyVerdict.Unverified;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.NotifyVerdict.VerifiedRefund;
import kami.payment.channel.PaymentState;
import kami.payment.channel.PaymentState.Paid;
import kami.payment.internal.NotifyJournal.Verdict;
import kami.payment.internal.NotifyOutcome.Acknowledged;
import kami.payment.internal.NotifyOutcome.Rejected;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first driver of every payment: a channel's notify. The raw notify is journaled first; the channel adapter
 * verifies it; only a verified notify about a payment of this channel, with the payment's amount, changes state,
 * and the verdict commits with the change. An unverified notify changes nothing but makes the gateway ask the
 * channel about the payment it names at once.
 */
@Component
class NotifyPipeline {

    private static final Logger log = LoggerFactory.getLogger(NotifyPipeline.class);

    private final ChannelRegistry channels;
    private final NotifyJournal journal;
    private final JdbcPayments payments;
    private final PaymentRecorder recorder;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;
    private final PaymentMetrics metrics;
    private final Refunds refunds;
    private final RefundDrivers refundDrivers;
    private final Clock clock;

    NotifyPipeline(ChannelRegistry channels, NotifyJournal journal, JdbcPayments payments, PaymentRecorder recorder,
            TransactionTemplate transaction, JdbcClient jdbc, PaymentMetrics metrics, Refunds refunds,
            RefundDrivers refundDrivers, Clock clock) {
        this.channels = channels;
        this.journal = journal;
        this.payments = payments;
        this.recorder = recorder;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.refunds = refunds;
        this.refundDrivers = refundDrivers;
        this.clock = clock;
    }

    NotifyOutcome handle(String accountName, InboundNotify notify) {
        long journalId = journal.received(accountName, notify.receivedAt(), notify.headers(), notify.body());
        // A switched-off account still takes notifies: they report money that was already paid.
        ChannelEndpoint endpoint = channels.find(accountName).orElse(null);
        if (endpoint == null) {
            return reject(journalId, accountName, null, new Rejected(HttpStatus.NOT_FOUND, "UNKNOWN_CHANNEL",
                    "no channel account " + accountName));
        }
        NotifyVerdict verdict = endpoint.channel().verify(notify);
        return switch (verdict) {
            case Unverified unverified -> unverified(journalId, accountName, unverified);
            case VerifiedRefund refund -> refund(journalId, accountName, refund);
            case VerifiedPayment payment -> payment(journalId, accountName, payment, notify.receivedAt());
        };
    }

    private NotifyOutcome unverified(long journalId, String accountName, Unverified unverified) {
        HttpStatus status = "INVALID_SIGNATURE".equals(unverified.code()) ? HttpStatus.UNAUTHORIZED
                : HttpStatus.BAD_REQUEST;
        String claimed = unverified.claimedPaymentNo();
        if (claimed != null) {
            queryNow(accountName, claimed);
        }
        return reject(journalId, accountName, claimed, new Rejected(status, unverified.code(), unverified.reason()));
    }

    private NotifyOutcome refund(long journalId, String accountName, VerifiedRefund verified) {
        RefundRecord refund = refunds.find(verified.refundNo()).filter(r -> r.channel().equals(accountName))
                .orElse(null);
        if (refund == null) {
            return reject(journalId, accountName, null, new Rejected(HttpStatus.NOT_FOUND, "UNKNOWN_REFUND",
                    "no " + accountName + " refund " + verified.refundNo()));
        }
        boolean changed = refundDrivers.apply(refund, verified.state());
        Verdict verdict = changed ? Verdict.ACCEPTED : Verdict.DUPLICATE;
        journal.verdict(journalId, refund.paymentNo(), verdict, "refund " + refund.refundNo());
        metrics.notify(accountName, verdict, "OK");
        return new Acknowledged(changed);
    }

    private NotifyOutcome payment(long journalId, String accountName, VerifiedPayment verified, Instant receivedAt) {
        if (verified.state() instanceof Paid paid) {
            return paid(journalId, accountName, verified.paymentNo(), paid, receivedAt);
        }
        PaymentRecord payment = knownPayment(accountName, verified.paymentNo());
        if (payment == null) {
            return reject(journalId, accountName, verified.paymentNo(), unknownPayment(accountName,
                    verified.paymentNo()));
        }
        return switch (verified.state()) {
            case PaymentState.Closed closed -> settle(journalId, payment, recorder.closed(payment.paymentNo(),
                    receivedAt) ? Verdict.ACCEPTED : Verdict.DUPLICATE, "closed: " + closed.reason());
            default -> settle(journalId, payment, Verdict.IGNORED, "nothing to do for " + PaymentQueries.describe(
                    verified.state()));
        };
    }

    /**
     * The usual notify, a first success for a pending payment with the amount it names, is recorded by one
     * conditional update; only when that changes nothing is the payment read, to tell a repeat from a notify
     * that names an unknown payment or another amount (which change nothing).
     */
    private NotifyOutcome paid(long journalId, String accountName, String paymentNo, Paid paid,
            Instant receivedAt) {
        try {
            NotifyOutcome outcome = transaction.execute(status -> {
                if (recorder.paidAsNamed(accountName, paymentNo, paid, receivedAt)) {
                    return accepted(journalId, accountName, paymentNo, true);
                }
                PaymentRecord payment = knownPayment(accountName, paymentNo);
                if (payment == null) {
                    return unknownPayment(accountName, paymentNo);
                }
                if (!paid.amount().equals(payment.amount())) {
                    log.warn("Notify for {} carries {} but the payment is {}", paymentNo, paid.amount(),
                            payment.amount());
                    return new Rejected(HttpStatus.UNPROCESSABLE_CONTENT, "AMOUNT_MISMATCH",
                            "amount or currency differs from the payment");
                }
                PaymentRecorder.Recorded recorded = recorder.paid(payment, paid, receivedAt);
                if (recorded == PaymentRecorder.Recorded.OTHER_TRADE) {
                    status.setRollbackOnly();
                    return new Rejected(HttpStatus.CONFLICT, "PAYMENT_ALREADY_SUCCEEDED",
                            "payment already succeeded with another trade");
                }
                return accepted(journalId, accountName, paymentNo, recorded == PaymentRecorder.Recorded.NOW);
            });
            if (outcome instanceof Rejected rejected) {
                return reject(journalId, accountName, paymentNo, rejected);
            }
            return outcome;
        } catch (DuplicateKeyException e) {
            return reject(journalId, accountName, paymentNo, new Rejected(HttpStatus.CONFLICT,
                    "TRADE_NO_REUSED", "channel trade number " + paid.channelTradeNo()
                            + " already belongs to another payment"));
        }
    }

    /** The verdict commits with the success it records. */
    private Acknowledged accepted(long journalId, String accountName, String paymentNo, boolean first) {
        Verdict verdict = first ? Verdict.ACCEPTED : Verdict.DUPLICATE;
        journal.verdict(journalId, paymentNo, verdict, null);
        metrics.notify(accountName, verdict, "OK");
        return new Acknowledged(first);
    }

    private @Nullable PaymentRecord knownPayment(String accountName, String paymentNo) {
        return payments.find(paymentNo).filter(payment -> payment.channel().equals(accountName)).orElse(null);
    }

    private static Rejected unknownPayment(String accountName, String paymentNo) {
        return new Rejected(HttpStatus.NOT_FOUND, "UNKNOWN_PAYMENT", "no " + accountName + " payment " + paymentNo);
    }

    private NotifyOutcome settle(long journalId, PaymentRecord payment, Verdict verdict, String reason) {
        journal.verdict(journalId, payment.paymentNo(), verdict, reason);
        metrics.notify(payment.channel(), verdict, "OK");
        return new Acknowledged(verdict == Verdict.ACCEPTED);
    }

    /** Makes the scheduled query driver ask about the payment now, if it is a pending payment of this channel. */
    private void queryNow(String accountName, String paymentNo) {
        jdbc.sql("""
                update payment set next_query_at = :now
                where payment_no = :no and channel = :channel and status = 'PENDING'""")
                .param("now", Timestamp.from(clock.instant())).param("no", paymentNo).param("channel", accountName)
                .update();
    }

    private Rejected reject(long journalId, String accountName, @Nullable String paymentNo, Rejected rejected) {
        log.warn("Rejected {} notify for payment {}: {} ({})", accountName, paymentNo, rejected.code(),
                rejected.reason());
        journal.verdict(journalId, paymentNo, Verdict.REJECTED, rejected.code() + ": " + rejected.reason());
        metrics.notify(accountName, Verdict.REJECTED, rejected.code());
        return rejected;
    }
}
