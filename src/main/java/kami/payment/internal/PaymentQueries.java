package kami.payment.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kami.payment.channel.PaymentState;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The second driver of every payment: pending payments are queried on a schedule (10 s, 30 s, 1 min, 2 min,
 * 5 min, 10 min, then every 10 min by default), so a lost or forged notify never leaves a paid order waiting.
 * Due payments are claimed with {@code SKIP LOCKED} and leased, so several instances share the work and a crash
 * mid-query only delays the next attempt. Channel calls happen outside transactions.
 */
@Component
class PaymentQueries {

    static final int BATCH_MAX = 50;
    static final Duration LEASE = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(PaymentQueries.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final ChannelRegistry channels;
    private final ChannelAnswers answers;
    private final ChannelGuard guard;
    private final PaymentProperties properties;
    private final Clock clock;
    private final Counter queries;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    PaymentQueries(JdbcClient jdbc, ChannelRegistry channels, ChannelAnswers answers, ChannelGuard guard,
            PaymentProperties properties, Clock clock, MeterRegistry meters, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.channels = channels;
        this.answers = answers;
        this.guard = guard;
        this.properties = properties;
        this.clock = clock;
        this.queries = meters.counter("kami.payments.queries");
    }

    @Scheduled(fixedDelayString = "${kami.payments.query-poll-interval:1s}",
            initialDelayString = "${kami.payments.query-poll-interval:1s}")
    void queryDue() {
        if (!roles.worker()) {
            return;
        }
        List<PaymentRecord> due;
        do {
            due = claimDue();
            List<Future<PaymentState>> running = BoundedBatch.submitAll(workers, due, this::query);
            for (Future<PaymentState> task : running) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    // The lease runs out and the payment is queried again; nothing is lost.
                    log.error("Payment query failed unexpectedly", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } while (due.size() == BATCH_MAX);
    }

    List<PaymentRecord> claimDue() {
        Instant now = clock.instant();
        return jdbc.sql("""
                update payment set next_query_at = :lease
                where payment_no in (
                    select payment_no from payment
                    where status = 'PENDING' and next_query_at <= :now
                    order by next_query_at
                    limit :limit
                    for update skip locked)
                returning *""")
                .param("lease", Timestamp.from(now.plus(LEASE))).param("now", Timestamp.from(now))
                .param("limit", BATCH_MAX).query(JdbcPayments.RECORD).list();
    }

    /** Asks the channel once and applies the answer; a payment still open gets its next query scheduled. */
    PaymentState query(PaymentRecord payment) {
        PaymentState state = ask(payment);
        ChannelAnswers.Effect effect = answers.apply(payment, state);
        if (effect == ChannelAnswers.Effect.NO_CHANGE || effect == ChannelAnswers.Effect.REFUSED) {
            Instant now = clock.instant();
            int attempts = payment.queryAttempts() + 1;
            jdbc.sql("""
                    update payment set query_attempts = :attempts, last_query_at = :now, last_query_result = :result,
                        next_query_at = :next
                    where payment_no = :no and status = 'PENDING'""")
                    .param("attempts", attempts).param("now", Timestamp.from(now))
                    .param("result", describe(state)).param("next", Timestamp.from(now.plus(
                            properties.pauseAfter(attempts))))
                    .param("no", payment.paymentNo()).update();
        }
        return state;
    }

    /**
     * A repair: the same question as the scheduled driver, for payments in any status. A closed payment the
     * channel confirms as paid is recorded (the money arrived); nothing is recorded that the channel does not say.
     */
    PaymentState queryForRepair(PaymentRecord payment) {
        PaymentState state = ask(payment);
        answers.apply(payment, state);
        return state;
    }

    private PaymentState ask(PaymentRecord payment) {
        queries.increment();
        return channels.find(payment.channel())
                .map(endpoint -> guard.query(endpoint, payment))
                .orElseGet(() -> new PaymentState.Unknown("channel account " + payment.channel()
                        + " is not available"));
    }

    static String describe(PaymentState state) {
        String text = switch (state) {
            case PaymentState.Paid paid -> "PAID " + paid.channelTradeNo() + " " + paid.amount();
            case PaymentState.Pending pending -> "PENDING";
            case PaymentState.Closed closed -> "CLOSED " + closed.reason();
            case PaymentState.NotFound notFound -> "NOT_FOUND";
            case PaymentState.Unknown unknown -> "UNKNOWN " + unknown.reason();
        };
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
