package kami.ordering.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param paymentTimeout how long an unpaid order keeps its keys reserved */
@ConfigurationProperties("kami.orders")
record OrderProperties(@Nullable Duration paymentTimeout) {

    OrderProperties {
        paymentTimeout = paymentTimeout == null ? Duration.ofMinutes(15) : paymentTimeout;
        if (paymentTimeout.isNegative() || paymentTimeout.isZero()) {
            throw new IllegalArgumentException("kami.orders.payment-timeout must be positive");
        }
    }
}
