package kami.payment.internal;

import java.time.Duration;
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
        faults = faults == null ? new Faults(null, null, null) : faults;
    }

    /**
     * Fault switches, so tests and demos can exercise late, repeated and lost notifies.
     *
     * @param notifyDelay wait before the first notify attempt
     * @param duplicateNotifies extra identical copies sent with each attempt
     * @param dropRate share of attempts, 0.0 to 1.0, silently not sent (the PSP retries later)
     */
    record Faults(@Nullable Duration notifyDelay, @Nullable Integer duplicateNotifies, @Nullable Double dropRate) {

        Faults {
            notifyDelay = notifyDelay == null ? Duration.ZERO : notifyDelay;
            duplicateNotifies = duplicateNotifies == null ? 0 : duplicateNotifies;
            dropRate = dropRate == null ? 0.0 : dropRate;
        }
    }
}
