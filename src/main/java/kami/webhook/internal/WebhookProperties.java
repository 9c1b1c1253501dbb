package kami.webhook.internal;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook delivery settings.
 *
 * @param retrySchedule pauses after the first, second, … failed attempt; when they are used up the webhook is
 *     FAILED (reported; operators can resend it). The default spans more than a day.
 * @param requestTimeout how long the merchant's endpoint may take to answer an attempt
 */
@ConfigurationProperties("kami.webhooks")
record WebhookProperties(@Nullable List<Duration> retrySchedule, @Nullable Duration requestTimeout) {

    static final List<Duration> DEFAULT_RETRY_SCHEDULE = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(6), Duration.ofHours(12), Duration.ofHours(12));

    WebhookProperties {
        retrySchedule = retrySchedule == null || retrySchedule.isEmpty() ? DEFAULT_RETRY_SCHEDULE
                : List.copyOf(retrySchedule);
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        for (Duration pause : retrySchedule) {
            if (!pause.isPositive()) {
                throw new IllegalArgumentException("kami.webhooks.retry-schedule needs positive pauses: " + pause);
            }
        }
    }
}
