package kami.payment.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import kami.payment.channel.PaymentState;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** The sandbox's fault switches as they stand now: set from configuration, changed at run time by admins. */
@Component
class SandboxFaults {

    static final int DUPLICATES_MAX = 20;
    static final Duration DELAY_MAX = Duration.ofMinutes(10);
    /** A hanging bank answers after this long at the earliest, far beyond any sensible call timeout. */
    static final Duration HANG_DURATION = Duration.ofMinutes(10);

    private volatile Settings settings;

    SandboxFaults(SandboxProperties properties) {
        SandboxProperties.Faults configured = properties.faults();
        this.settings = validated(new Settings(configured.notifyDelay().toMillis(), configured.duplicateNotifies(),
                configured.dropRate(), configured.failingBanks(), configured.hangingBanks()));
    }

    /**
     * The switches as exposed on the admin API. {@code failingBanks} answer status queries and closes of their
     * payments with a 5xx; {@code hangingBanks} do not answer them at all.
     */
    record Settings(long notifyDelayMillis, int duplicateNotifies, double dropRate,
            @Nullable List<String> failingBanks, @Nullable List<String> hangingBanks) {

        Settings {
            failingBanks = failingBanks == null ? List.of() : List.copyOf(failingBanks);
            hangingBanks = hangingBanks == null ? List.of() : List.copyOf(hangingBanks);
        }
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

    /**
     * What a sick bank's gateway gives back for a payment of {@code bank}: an unknown outcome at once (failing),
     * or one after {@link #HANG_DURATION} or when the caller gives up and interrupts (hanging); null when the bank
     * is well.
     */
    @Nullable PaymentState sickBankAnswer(@Nullable String bank) {
        if (bank == null) {
            return null;
        }
        Settings now = settings;
        if (now.hangingBanks().contains(bank)) {
            try {
                Thread.sleep(HANG_DURATION);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new PaymentState.Unknown("the sandbox bank " + bank + " did not answer");
        }
        if (now.failingBanks().contains(bank)) {
            return new PaymentState.Unknown("the sandbox bank " + bank + " answered HTTP 503");
        }
        return null;
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
        for (String bank : concat(s.failingBanks(), s.hangingBanks())) {
            if (!SandboxChannel.BANKS.contains(bank)) {
                throw ApiException.badRequest("INVALID_FAULTS", "failingBanks and hangingBanks name sandbox banks, "
                        + "one of " + SandboxChannel.BANKS + ", not '" + bank + "'");
            }
        }
        return s;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
