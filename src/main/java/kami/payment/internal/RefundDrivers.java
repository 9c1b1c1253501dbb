package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import kami.messaging.Outbox;
import kami.payment.PaymentPurpose;
import kami.payment.RefundSucceeded;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.RefundState;
import kami.platform.Roles;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The drivers of every refund. A refund is sent to its channel once: the claim that marks it submitted commits
 * before the call, so a crash mid-call never sends it twice (not every channel's refund is idempotent). From then
 * on its state comes from the channel's refund notify or from scheduled refund queries; an outcome the channel
 * cannot tell is never taken for a failure. Refunds that stay pending too long are reported by
 * {@link StuckReports}.
 */
@Component
class RefundDrivers {

    static final int BATCH_MAX = 50;
    static final Duration LEASE = Duration.ofMinutes(2);
    /** Refunds committed this long ago and still not submitted lost their after-commit submit (a crash). */
    static final Duration SUBMIT_GRACE = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(RefundDrivers.class);

    private final Roles roles;
    private final Outbox outbox;
    private final JdbcClient jdbc;
    private final ChannelRegistry channels;
    private final ChannelGuard guard;
    private final JdbcPayments payments;
    private final PaymentProperties properties;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RefundDrivers(JdbcClient jdbc, ChannelRegistry channels, ChannelGuard guard, JdbcPayments payments,
            PaymentProperties properties, TransactionTemplate transaction, ApplicationEventPublisher events,
            Outbox outbox, Clock clock, Roles roles) {
        this.roles = roles;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.channels = channels;
        this.guard = guard;
        this.payments = payments;
        this.properties = properties;
        this.transaction = transaction;
        this.events = events;
        this.clock = clock;
    }

    void submitSoon(String refundNo) {
        Thread.ofVirtual().name("refund-submit-" + refundNo).start(() -> submit(refundNo));
    }

    /** Sends the refund to its channel, unless it was sent already. */
    void submit(String refundNo) {
        Instant now = clock.instant();
        RefundRecord refund = jdbc.sql("""
                update refund set submitted_at = :now, next_query_at = :lease
                where refund_no = :no and status = 'PENDING' and submitted_at is null
                returning *""")
                .param("now", Timestamp.from(now)).param("lease", Timestamp.from(now.plus(LEASE)))
                .param("no", refundNo).query(RefundRecord.MAPPER).optional().orElse(null);
        if (refund == null) {
            return;
        }
        apply(refund, ask(refund, true));
    }

    @Scheduled(fixedDelayString = "${kami.payments.query-poll-interval:1s}",
            initialDelayString = "${kami.payments.query-poll-interval:1s}")
    void driveDue() {
        if (!roles.worker()) {
            return;
        }
        Instant now = clock.instant();
        jdbc.sql("""
                select refund_no from refund
                where status = 'PENDING' and submitted_at is null and created_at <= :before
                order by created_at limit :limit""")
                .param("before", Timestamp.from(now.minus(SUBMIT_GRACE))).param("limit", BATCH_MAX)
                .query(String.class).list().forEach(refundNo -> isolated(refundNo, () -> submit(refundNo)));
        claimQueries(now).forEach(refund -> isolated(refund.refundNo(), () -> apply(refund, ask(refund, false))));
    }

    /** One refund failing (its bookings are part of its transaction) must not hold up the others of the batch. */
    private static void isolated(String refundNo, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("Refund {} not driven this time; its lease runs out and it is tried again", refundNo, e);
        }
    }

    private List<RefundRecord> claimQueries(Instant now) {
        return jdbc.sql("""
                update refund set next_query_at = :lease
                where refund_no in (
                    select refund_no from refund
                    where status = 'PENDING' and submitted_at is not null and next_query_at <= :now
                    order by next_query_at limit :limit
                    for update skip locked)
                returning *""")
                .param("lease", Timestamp.from(now.plus(LEASE))).param("now", Timestamp.from(now))
                .param("limit", BATCH_MAX).query(RefundRecord.MAPPER).list();
    }

    private RefundState ask(RefundRecord refund, boolean submit) {
        PaymentRecord payment = payments.find(refund.paymentNo()).orElseThrow();
        ChannelEndpoint endpoint = channels.find(refund.channel()).orElse(null);
        if (endpoint == null) {
            return new RefundState.Unknown("channel account " + refund.channel() + " is not available");
        }
        ChannelRefund request = new ChannelRefund(refund.refundNo(), payment.paymentNo(),
                payment.channelTradeNo() == null ? "" : payment.channelTradeNo(), refund.amount(), payment.amount(),
                refund.reason(), refund.channelRefundNo());
        return guard.refund(endpoint, PaymentPath.of(payment), () -> submit
                ? endpoint.channel().refund(request) : endpoint.channel().queryRefund(request));
    }

    /** Applies what the channel said about the refund; returns whether the refund reached a final state now. */
    boolean apply(RefundRecord refund, RefundState state) {
        Instant now = clock.instant();
        return switch (state) {
            case RefundState.Succeeded succeeded -> succeeded(refund, succeeded.channelRefundNo(), now);
            case RefundState.Failed failed -> failed(refund, failed.reason(), now);
            case RefundState.Processing processing -> later(refund, processing.channelRefundNo(), "PROCESSING", now);
            case RefundState.Unknown unknown -> later(refund, null, "UNKNOWN " + unknown.reason(), now);
        };
    }

    private boolean succeeded(RefundRecord refund, @Nullable String channelRefundNo, Instant now) {
        Boolean done = transaction.execute(status -> {
            int changed = jdbc.sql("""
                    update refund set status = 'SUCCEEDED', finished_at = :now, next_query_at = null,
                        channel_refund_no = coalesce(:channelNo, channel_refund_no)
                    where refund_no = :no and status = 'PENDING'""")
                    .param("now", Timestamp.from(now)).param("channelNo", channelRefundNo)
                    .param("no", refund.refundNo()).update();
            if (changed == 1) {
                long refundedInFull = jdbc.sql("""
                        select p.amount_minor - coalesce(sum(r.amount_minor), 0) from payment p
                        left join refund r on r.payment_no = p.payment_no and r.status = 'SUCCEEDED'
                        where p.payment_no = :no group by p.amount_minor""")
                        .param("no", refund.paymentNo()).query(Long.class).single();
                PaymentPurpose purpose = payments.find(refund.paymentNo()).orElseThrow().purpose();
                RefundSucceeded event = new RefundSucceeded(refund.refundNo(), refund.paymentNo(), refund.orderNo(),
                        refund.amount(), refundedInFull == 0, now, purpose);
                outbox.publish(RefundSucceeded.TOPIC, event);
                events.publishEvent(event);
            }
            return changed == 1;
        });
        return Boolean.TRUE.equals(done);
    }

    private boolean failed(RefundRecord refund, String reason, Instant now) {
        Boolean done = transaction.execute(status -> {
            int changed = jdbc.sql("""
                    update refund set status = 'FAILED', finished_at = :now, failure_reason = :reason,
                        next_query_at = null
                    where refund_no = :no and status = 'PENDING'""")
                    .param("now", Timestamp.from(now)).param("reason", abbreviate(reason))
                    .param("no", refund.refundNo()).update();
            if (changed == 1) {
                // The amount can be refunded again by a new request.
                jdbc.sql("update payment set refunded_minor = refunded_minor - :amount where payment_no = :no")
                        .param("amount", refund.amount().amountMinor()).param("no", refund.paymentNo()).update();
            }
            return changed == 1;
        });
        if (Boolean.TRUE.equals(done)) {
            log.warn("Refund {} of order {} failed at channel {}: {}", refund.refundNo(), refund.orderNo(),
                    refund.channel(), reason);
        }
        return Boolean.TRUE.equals(done);
    }

    private boolean later(RefundRecord refund, @Nullable String channelRefundNo, String result, Instant now) {
        int attempts = refund.queryAttempts() + 1;
        jdbc.sql("""
                update refund set query_attempts = :attempts, last_query_result = :result, next_query_at = :next,
                    channel_refund_no = coalesce(:channelNo, channel_refund_no)
                where refund_no = :no and status = 'PENDING'""")
                .param("attempts", attempts).param("result", abbreviate(result))
                .param("next", Timestamp.from(now.plus(properties.pauseAfter(attempts))))
                .param("channelNo", channelRefundNo).param("no", refund.refundNo()).update();
        return false;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
