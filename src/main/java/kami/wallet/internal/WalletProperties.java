package kami.wallet.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Wallet settings.
 *
 * @param sessionTtl how long a login token is valid
 * @param topUpMaxMinor the largest single top-up, in minor units of its currency
 * @param topUpTimeout how long a top-up's payment is waited for before it is closed at its channel
 */
@ConfigurationProperties("kami.wallet")
record WalletProperties(@Nullable Duration sessionTtl, @Nullable Long topUpMaxMinor,
        @Nullable Duration topUpTimeout) {

    WalletProperties {
        sessionTtl = sessionTtl == null ? Duration.ofDays(30) : sessionTtl;
        topUpMaxMinor = topUpMaxMinor == null ? 1_000_000L : topUpMaxMinor;
        topUpTimeout = topUpTimeout == null ? Duration.ofMinutes(15) : topUpTimeout;
        if (!sessionTtl.isPositive()) {
            throw new IllegalArgumentException("kami.wallet.session-ttl must be positive");
        }
        if (topUpMaxMinor <= 0) {
            throw new IllegalArgumentException("kami.wallet.top-up-max-minor must be positive");
        }
        if (!topUpTimeout.isPositive()) {
            throw new IllegalArgumentException("kami.wallet.top-up-timeout must be positive");
        }
    }
}
