package kami.payment.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kami.payment.Payments.FinalCheck;
import kami.payment.channel.PaymentState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The query before an unpaid order expires. A payment the channel confirms is recorded instead; one the
 * channel says is unpaid is closed there, so the payer cannot pay for an order that no longer holds keys. When
 * the channel gives no answer the order waits, up to the grace period, then expires anyway with an alert: the
 * payment stays open to its notifies and a later success follows the late-payment rule.
 */
@Component
class FinalQuery {

    private static final Logger log = LoggerFactory.getLogger(FinalQuery.class);

    private final JdbcPayments payments;
    private final ChannelRegistry channels;
    private final ChannelAnswers answers;
    private final ChannelGuard guard;
    private final PaymentProperties properties;
    private final Clock clock;

    FinalQuery(JdbcPayments payments, ChannelRegistry channels, ChannelAnswers answers, ChannelGuard guard,
            PaymentProperties properties, Clock clock) {
        this.payments = payments;
        this.channels = channels;
        this.answers = answers;
        this.guard = guard;
        this.properties = properties;
        this.clock = clock;
    }

    Map<String, FinalCheck> checkAll(List<String> orderNos) {
        Map<String, FinalCheck> checks = new LinkedHashMap<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<FinalCheck>> answers = BoundedBatch.submitAll(executor, orderNos, this::check);
            for (int i = 0; i < orderNos.size(); i++) {
                try {
                    checks.put(orderNos.get(i), answers.get(i).get());
                } catch (ExecutionException e) {
                    log.error("Final check of {} failed; it is asked again on the next sweep", orderNos.get(i),
                            e.getCause());
                    checks.put(orderNos.get(i), FinalCheck.UNKNOWN);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    orderNos.stream().skip(i).forEach(orderNo -> checks.put(orderNo, FinalCheck.UNKNOWN));
                    return checks;
                }
            }
        }
        return checks;
    }

    FinalCheck check(String orderNo) {
        PaymentRecord payment = payments.findRecordByOrder(orderNo).orElse(null);
        if (payment == null || payment.status() == PaymentStatus.CLOSED) {
            return FinalCheck.NOT_PAID;
        }
        if (payment.status() == PaymentStatus.SUCCEEDED) {
            return FinalCheck.PAID;
        }
        ChannelEndpoint endpoint = channels.find(payment.channel()).orElse(null);
        if (endpoint == null) {
            return unanswered(payment, "channel account " + payment.channel() + " is not available");
        }
        PaymentState state = guard.query(endpoint, payment);
        if (state instanceof PaymentState.Pending || state instanceof PaymentState.NotFound) {
            state = guard.close(endpoint, payment);
            if (state instanceof PaymentState.Pending || state instanceof PaymentState.NotFound) {
                // Closed here even where the channel cannot close (or never saw the payment): a payment that
                // arrives anyway is still recorded from its notify, and the late-payment rule applies.
                state = new PaymentState.Closed("closed by Kami before the order expired");
            }
        }
        return switch (answers.apply(payment, state)) {
            case RECORDED_PAID, ALREADY_PAID -> FinalCheck.PAID;
            case CLOSED -> FinalCheck.NOT_PAID;
            case NO_CHANGE, REFUSED -> state instanceof PaymentState.Unknown unknown
                    ? unanswered(payment, unknown.reason())
                    : reread(payment);
        };
    }

    /** Another driver changed the payment at the same moment: its outcome is the answer. */
    private FinalCheck reread(PaymentRecord payment) {
        PaymentStatus now = payments.find(payment.paymentNo()).map(PaymentRecord::status)
                .orElse(PaymentStatus.CLOSED);
        return switch (now) {
            case SUCCEEDED -> FinalCheck.PAID;
            case CLOSED -> FinalCheck.NOT_PAID;
            case PENDING -> unanswered(payment, "the channel's answer could not be applied");
        };
    }

    private FinalCheck unanswered(PaymentRecord payment, String reason) {
        Instant giveUpAt = payment.expiresAt().plus(properties.expiryGrace());
        if (clock.instant().isBefore(giveUpAt)) {
            log.warn("Order {} waits to expire: channel {} did not say whether payment {} was paid ({})",
                    payment.orderNo(), payment.channel(), payment.paymentNo(), reason);
            return FinalCheck.UNKNOWN;
        }
        log.error("ALERT order {} expires without a final answer from channel {} on payment {} ({}); the payment "
                + "stays open", payment.orderNo(), payment.channel(), payment.paymentNo(), reason);
        return FinalCheck.NOT_PAID;
    }
}
