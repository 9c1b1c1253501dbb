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
        NotifyJournal.Entry entry = journal.entry(accountName, notify.receivedAt(), notify.headers(), notify.body());
        // A switched-off account still takes notifies: they report money that was already paid.
        ChannelEndpoint endpoint = channels.find(accountName).orElse(null);
        if (endpoint == null) {
            return reject(journal.received(entry), accountName, null, new Rejected(HttpStatus.NOT_FOUND,
                    "UNKNOWN_CHANNEL", "no channel account " + accountName));
        }
        NotifyVerdict verdict;
        try {
            verdict = endpoint.channel().verify(notify);
        } catch (RuntimeException e) {
            throw journalUnjudged(entry, e);
        }
        if (verdict instanceof VerifiedPayment payment && payment.state() instanceof Paid paid) {
            return paid(entry, payment.paymentNo(), paid);
        }
        long journalId = journal.received(entry);
        return switch (verdict) {
            case Unverified unverified -> unverified(journalId, accountName, unverified);
            case VerifiedRefund refund -> refund(journalId, accountName, refund);
            case VerifiedPayment payment -> payment(journalId, accountName, payment, notify.receivedAt());
        };
    }

    /**
     * Keeps a notify that could not be judged (a failure in its handling) in the journal as received, with the
     * failure, and returns the failure for the caller to throw. The channel sends it again: it was not acknowledged.
     */
    private RuntimeException journalUnjudged(NotifyJournal.Entry entry, RuntimeException failure) {
        try {
            journal.verdict(journal.received(entry), null, Verdict.RECEIVED, "not judged: " + failure);
        } catch (RuntimeException journalFailure) {
            failure.addSuppressed(journalFailure);
        }
        return failure;
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

    /** A verified notify of any payment state but paid (which {@link #paid} takes). */
    private NotifyOutcome payment(long journalId, String accountName, VerifiedPayment verified, Instant receivedAt) {
        if (verified.state() instanceof Paid) {
            throw new IllegalArgumentException("a success is recorded with its journal entry, not after it");
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
     * The usual notify, a first success for a pending payment with the amount it names, is journaled and recorded
     * by one conditional statement in the transaction that commits its effect; only when that changes nothing is
     * the payment read, to tell a repeat from a notify that names an unknown payment or another amount (which
     * change nothing). Each outcome's verdict commits in the same transaction.
     */
    private NotifyOutcome paid(NotifyJournal.Entry entry, String paymentNo, Paid paid) {
        String accountName = entry.channel();
        try {
            return transaction.execute(status -> {
                PaymentRecorder.JournaledSuccess journaled = recorder.paidAsNotified(entry, paymentNo, paid);
                if (journaled.recorded()) {
                    metrics.notify(accountName, Verdict.ACCEPTED, "OK");
                    return new Acknowledged(true);
                }
                long journalId = journaled.journalId();
                PaymentRecord payment = knownPayment(accountName, paymentNo);
                if (payment == null) {
                    return reject(journalId, accountName, paymentNo, unknownPayment(accountName, paymentNo));
                }
                if (!paid.amount().equals(payment.amount())) {
                    log.warn("Notify for {} carries {} but the payment is {}", paymentNo, paid.amount(),
                            payment.amount());
                    return reject(journalId, accountName, paymentNo, new Rejected(
                            HttpStatus.UNPROCESSABLE_CONTENT, "AMOUNT_MISMATCH",
                            "amount or currency differs from the payment"));
                }
                // Changes nothing when the payment succeeded before; records it if it became payable meanwhile.
                PaymentRecorder.Recorded recorded = recorder.paid(payment, paid, entry.receivedAt());
                if (recorded == PaymentRecorder.Recorded.OTHER_TRADE) {
                    return reject(journalId, accountName, paymentNo, new Rejected(HttpStatus.CONFLICT,
                            "PAYMENT_ALREADY_SUCCEEDED", "payment already succeeded with another trade"));
                }
                return accepted(journalId, accountName, paymentNo, recorded == PaymentRecorder.Recorded.NOW);
            });
        } catch (DuplicateKeyException e) {
            // The statement failed, so the transaction journaled nothing.
            return reject(journal.received(entry), accountName, paymentNo, new Rejected(HttpStatus.CONFLICT,
                    "TRADE_NO_REUSED", "channel trade number " + paid.channelTradeNo()
                            + " already belongs to another payment"));
        } catch (RuntimeException e) {
            throw journalUnjudged(entry, e);
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
