package kami.settlement.internal;

import java.time.Duration;
import kami.settlement.internal.domain.FeeRate;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settlement settings.
 *
 * @param feeBasisPoints the platform's fee on each payment, in basis points (100 = 1 %); 0 (the default) for a
 *     shop that sells its own keys
 * @param delay how long a payment's net stays pending before it becomes available to pay out (T+N: the time in
 *     which refunds and disputes usually arrive); default one day, zero settles at the next sweep
 */
@ConfigurationProperties("kami.settlement")
record SettlementProperties(@Nullable Integer feeBasisPoints, @Nullable Duration delay) {

    SettlementProperties {
        feeBasisPoints = feeBasisPoints == null ? 0 : feeBasisPoints;
        delay = delay == null ? Duration.ofDays(1) : delay;
        if (delay.isNegative()) {
            throw new IllegalArgumentException("kami.settlement.delay must not be negative: " + delay);
        }
        new FeeRate(feeBasisPoints);
    }

    FeeRate feeRate() {
        return new FeeRate(feeBasisPoints());
    }
}
