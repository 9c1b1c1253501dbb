package kami.payment.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import kami.platform.ApiException;
import org.springframework.stereotype.Component;

/** The sandbox's fault switches as they stand now: set from configuration, changed at run time by admins. */
@Component
class SandboxFaults {

    static final int DUPLICATES_MAX = 20;
    static final Duration DELAY_MAX = Duration.ofMinutes(10);

    private volatile Settings settings;

    SandboxFaults(SandboxProperties properties) {
        SandboxProperties.Faults configured = properties.faults();
        this.settings = validated(new Settings(configured.notifyDelay().toMillis(), configured.duplicateNotifies(),
                configured.dropRate()));
    }

    /** The switches as exposed on the admin API. */
    record Settings(long notifyDelayMillis, int duplicateNotifies, double dropRate) {
    }

    Settings current() {
        return settings;
    }

    Settings update(Settings requested) {
        settings = validated(requested);
        return settings;
    }

    Duration notifyDelay() {
        return Duration.ofMillis(settings.notifyDelayMillis());
    }

    int duplicates() {
        return settings.duplicateNotifies();
    }

    boolean dropThisAttempt() {
        double rate = settings.dropRate();
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    private static Settings validated(Settings s) {
        if (s.notifyDelayMillis() < 0 || s.notifyDelayMillis() > DELAY_MAX.toMillis()) {
            throw ApiException.badRequest("INVALID_FAULTS", "notifyDelayMillis must be 0 to " + DELAY_MAX.toMillis());
        }
        if (s.duplicateNotifies() < 0 || s.duplicateNotifies() > DUPLICATES_MAX) {
            throw ApiException.badRequest("INVALID_FAULTS", "duplicateNotifies must be 0 to " + DUPLICATES_MAX);
        }
        if (!(s.dropRate() >= 0.0 && s.dropRate() <= 1.0)) {
            throw ApiException.badRequest("INVALID_FAULTS", "dropRate must be 0.0 to 1.0");
        }
        return s;
    }
}
