package kami.payment.internal;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sandbox channel. The default secret is a public demo value: set your own before anything real touches it.
 *
 * @param notifyUrl where the sandbox PSP sends notifies; empty means this instance's own loopback port
 */
@ConfigurationProperties("kami.channels.sandbox")
record SandboxProperties(@Nullable Boolean enabled, @Nullable String secret, @Nullable String notifyUrl,
        @Nullable Faults faults) {

    static final String DEMO_SECRET = "kami-sandbox-demo-secret";

    SandboxProperties {
        enabled = enabled == null || enabled;
        secret = secret == null || secret.isBlank() ? DEMO_SECRET : secret;
        faults = faults == null ? new Faults(null, null, null, null, null) : faults;
    }

    /**
     * Fault switches, so tests and demos can exercise late, repeated and lost notifies.
     *
     * @param notifyDelay wait before the first notify attempt
     * @param duplicateNotifies extra identical copies sent with each attempt
     * @param dropRate share of attempts, 0.0 to 1.0, silently not sent (the PSP retries later)
     * @param failingBanks online-banking banks whose status queries and closes answer with a 5xx
     * @param hangingBanks online-banking banks whose status queries and closes never answer in time
     */
    record Faults(@Nullable Duration notifyDelay, @Nullable Integer duplicateNotifies, @Nullable Double dropRate,
            @Nullable List<String> failingBanks, @Nullable List<String> hangingBanks) {

        Faults {
            failingBanks = failingBanks == null ? List.of() : List.copyOf(failingBanks);
            hangingBanks = hangingBanks == null ? List.of() : List.copyOf(hangingBanks);
            notifyDelay = notifyDelay == null ? Duration.ZERO : notifyDelay;
            duplicateNotifies = duplicateNotifies == null ? 0 : duplicateNotifies;
            dropRate = dropRate == null ? 0.0 : dropRate;
        }
    }
}
