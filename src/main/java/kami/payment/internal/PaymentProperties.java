package kami.payment.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Gateway settings.
 *
 * @param publicBaseUrl how channels reach this Kami (notify URLs are built from it); empty means this instance's
 *     own loopback port, which only the sandbox can use
 * @param querySchedule pauses before the first, second, … active status query of a pending payment
 * @param queryInterval pause between queries once the schedule is used up, until the payment expires
 * @param expiryGrace how long past its deadline an unpaid order may wait while its channel cannot say whether
 *     it was paid; after that it expires anyway (a later payment follows the late-payment rule)
 * @param stuckAfter a payment still pending this long past its deadline is reported as stuck
 * @param refundStuckAfter a refund still pending this long after it was requested is reported as stuck
 */
@ConfigurationProperties("kami.payments")
record PaymentProperties(@Nullable URI publicBaseUrl, @Nullable List<Duration> querySchedule,
        @Nullable Duration queryInterval, @Nullable Duration expiryGrace, @Nullable Duration stuckAfter,
        @Nullable Duration refundStuckAfter) {

    static final List<Duration> DEFAULT_QUERY_SCHEDULE = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10));

    PaymentProperties {
        querySchedule = querySchedule == null || querySchedule.isEmpty() ? DEFAULT_QUERY_SCHEDULE
                : List.copyOf(querySchedule);
        queryInterval = queryInterval == null ? Duration.ofMinutes(10) : queryInterval;
        expiryGrace = expiryGrace == null ? Duration.ofMinutes(10) : expiryGrace;
        stuckAfter = stuckAfter == null ? Duration.ofMinutes(30) : stuckAfter;
        refundStuckAfter = refundStuckAfter == null ? Duration.ofHours(1) : refundStuckAfter;
        for (Duration pause : querySchedule) {
            if (pause.isNegative() || pause.isZero()) {
                throw new IllegalArgumentException("kami.payments.query-schedule needs positive pauses: " + pause);
            }
        }
        if (!queryInterval.isPositive()) {
            throw new IllegalArgumentException("kami.payments.query-interval must be positive");
        }
    }

    /** The pause before the next query of a payment that has been queried {@code attempts} times. */
    Duration pauseAfter(int attempts) {
        return attempts < querySchedule.size() ? querySchedule.get(attempts) : queryInterval;
    }
}
