package kami.payment.internal;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Fail-fast settings for calls to channels.
 *
 * @param callTimeout longest a channel call may take before it counts as failed with an unknown outcome
 * @param concurrentCallsMax calls one channel account may have in flight; more fail at once
 * @param failureRateThreshold percentage of failed calls (in the window) that opens a path's breaker
 * @param slowCallThreshold a call slower than this counts as slow
 * @param slowCallRateThreshold percentage of slow calls that opens the breaker
 * @param windowSize calls the breaker judges by
 * @param minimumCalls calls needed before the breaker judges at all
 * @param openFor how long an open breaker refuses calls before trying a few
 * @param rampSteps share of buyers shown a path that has just recovered, one step per {@code rampStepDuration}
 */
@ConfigurationProperties("kami.channels.guard")
record GuardProperties(@Nullable Duration callTimeout, @Nullable Integer concurrentCallsMax,
        @Nullable Float failureRateThreshold, @Nullable Duration slowCallThreshold,
        @Nullable Float slowCallRateThreshold, @Nullable Integer windowSize, @Nullable Integer minimumCalls,
        @Nullable Duration openFor, @Nullable List<Double> rampSteps, @Nullable Duration rampStepDuration) {

    GuardProperties {
        callTimeout = callTimeout == null ? Duration.ofSeconds(5) : callTimeout;
        concurrentCallsMax = concurrentCallsMax == null ? 32 : concurrentCallsMax;
        failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
        slowCallThreshold = slowCallThreshold == null ? Duration.ofSeconds(2) : slowCallThreshold;
        slowCallRateThreshold = slowCallRateThreshold == null ? 80f : slowCallRateThreshold;
        windowSize = windowSize == null ? 20 : windowSize;
        minimumCalls = minimumCalls == null ? 10 : minimumCalls;
        openFor = openFor == null ? Duration.ofSeconds(30) : openFor;
        rampSteps = rampSteps == null || rampSteps.isEmpty() ? List.of(0.1, 0.5) : List.copyOf(rampSteps);
        rampStepDuration = rampStepDuration == null ? Duration.ofSeconds(30) : rampStepDuration;
        if (!callTimeout.isPositive() || concurrentCallsMax < 1 || windowSize < 1 || minimumCalls < 1
                || !openFor.isPositive() || !rampStepDuration.isPositive()) {
            throw new IllegalArgumentException("kami.channels.guard.* needs positive durations and counts");
        }
        for (double share : rampSteps) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("kami.channels.guard.ramp-steps are shares in (0, 1]: " + share);
            }
        }
    }
}
