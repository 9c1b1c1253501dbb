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
 * @param loginFailuresMax failed logins for one e-mail address within {@code loginLockout} after which further
 *     logins for it are refused until the window has passed (PCI DSS 8.3.4: at most 10, for at least 30 min)
 * @param loginLockout the window failed logins are counted in
 */
@ConfigurationProperties("kami.wallet")
record WalletProperties(@Nullable Duration sessionTtl, @Nullable Long topUpMaxMinor,
        @Nullable Duration topUpTimeout, @Nullable Integer loginFailuresMax, @Nullable Duration loginLockout) {

    WalletProperties {
        sessionTtl = sessionTtl == null ? Duration.ofDays(30) : sessionTtl;
        topUpMaxMinor = topUpMaxMinor == null ? 1_000_000L : topUpMaxMinor;
        topUpTimeout = topUpTimeout == null ? Duration.ofMinutes(15) : topUpTimeout;
        loginFailuresMax = loginFailuresMax == null ? 10 : loginFailuresMax;
        loginLockout = loginLockout == null ? Duration.ofMinutes(30) : loginLockout;
        if (loginFailuresMax < 1 || !loginLockout.isPositive()) {
            throw new IllegalArgumentException("kami.wallet.login-failures-max and login-lockout must be positive");
        }
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
