package kami.webhook.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends due webhooks from the outbox: claimed with {@code SKIP LOCKED} and leased, so several instances share
 * the work and a crash mid-send only delays the next attempt. Any 2xx answer delivers; anything else is retried
 * on the schedule, then marked FAILED and reported. Merchants must expect duplicates and any order: each
 * webhook carries its event id for de-duplication.
 */
@Component
class WebhookSender {

    static final int BATCH_MAX = 50;
    static final Duration LEASE = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    record Due(long id, String eventId, String eventType, long endpointId, String payload, int attempts) {
    }

    private final Roles roles;
    private final JdbcClient jdbc;
    private final WebhookEndpoints endpoints;
    private final WebhookProperties properties;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();

    WebhookSender(JdbcClient jdbc, WebhookEndpoints endpoints, WebhookProperties properties, Clock clock,
            Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.endpoints = endpoints;
        this.properties = properties;
        this.clock = clock;
    }

    /** Sends soon after the current transaction commits, instead of waiting for the next poll. */
    void sendAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                Thread.ofVirtual().name("webhook-send").start(WebhookSender.this::sendDue);
            }
        });
    }

    /** The poller: retries and anything a commit's immediate send missed, on worker processes. */
    @Scheduled(fixedDelayString = "${kami.webhooks.poll-interval:1s}",
            initialDelayString = "${kami.webhooks.poll-interval:1s}")
    void poll() {
        if (roles.worker()) {
            sendDue();
        }
    }

    void sendDue() {
        // One sender per instance at a time (other instances share the work through SKIP LOCKED). A call that
        // finds a sender busy leaves it a note to look again, so webhooks written meanwhile are not left waiting.
        wanted.set(true);
        while (wanted.get() && sending.compareAndSet(false, true)) {
            try {
                while (wanted.getAndSet(false)) {
                    List<Due> due;
                    do {
                        due = claim();
                        due.forEach(this::attempt);
                    } while (due.size() == BATCH_MAX);
                }
            } finally {
                sending.set(false);
            }
        }
    }

    /** Whether a pass is running now; a pass asked for meanwhile runs before it ends (for tests that step time). */
    boolean busy() {
        return sending.get();
    }

    private List<Due> claim() {
        Instant now = clock.instant();
        return jdbc.sql("""
                update webhook_delivery set next_attempt_at = :lease
                where id in (
                    select id from webhook_delivery
                    where status = 'PENDING' and next_attempt_at <= :now
                    order by next_attempt_at limit :limit
                    for update skip locked)
                returning id, event_id, event_type, endpoint_id, payload, attempts""")
                .param("lease", Timestamp.from(now.plus(LEASE))).param("now", Timestamp.from(now))
                .param("limit", BATCH_MAX)
                .query((rs, row) -> new Due(rs.getLong("id"), rs.getString("event_id"), rs.getString("event_type"),
                        rs.getLong("endpoint_id"), rs.getString("payload"), rs.getInt("attempts")))
                .list();
    }

    void attempt(Due due) {
        String error = send(due);
        Instant now = clock.instant();
        int attempts = due.attempts() + 1;
        if (error == null) {
            jdbc.sql("""
                    update webhook_delivery set status = 'DELIVERED', attempts = :attempts, last_attempt_at = :now,
                        delivered_at = :now, next_attempt_at = null, last_error = null
                    where id = :id and status = 'PENDING'""")
                    .param("attempts", attempts).param("now", Timestamp.from(now)).param("id", due.id()).update();
            return;
        }
        List<Duration> schedule = properties.retrySchedule();
        boolean givingUp = attempts > schedule.size();
        jdbc.sql("""
                update webhook_delivery set status = :status, attempts = :attempts, last_attempt_at = :now,
                    next_attempt_at = :next, last_error = :error
                where id = :id and status = 'PENDING'""")
                .param("status", givingUp ? "FAILED" : "PENDING").param("attempts", attempts)
                .param("now", Timestamp.from(now))
                .param("next", givingUp ? null : Timestamp.from(now.plus(schedule.get(attempts - 1))))
                .param("error", error.length() > 300 ? error.substring(0, 300) : error)
                .param("id", due.id()).update();
        if (givingUp) {
            log.error("ALERT webhook {} ({}) to endpoint {} failed {} times and is given up: {}; resend it from the "
                    + "admin API", due.eventId(), due.eventType(), due.endpointId(), attempts, error);
        }
    }

    /** Returns null when the endpoint took the webhook, else why not. */
    private String send(Due due) {
        String url = endpoints.url(due.endpointId()).orElse(null);
        String secret = endpoints.secret(due.endpointId()).orElse(null);
        if (url == null || secret == null) {
            return "endpoint " + due.endpointId() + " no longer exists";
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(properties.requestTimeout())
                .header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, clock.instant().getEpochSecond(),
                        due.payload()))
                .header("Kami-Event-Id", due.eventId()).header("Kami-Event-Type", due.eventType())
                .POST(HttpRequest.BodyPublishers.ofString(due.payload())).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
