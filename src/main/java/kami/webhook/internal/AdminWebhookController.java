package kami.webhook.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Webhook endpoints and deliveries for operators: what was sent, what failed, and resending it. */
@RestController
class AdminWebhookController {

    private static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "FAILED");
    private static final RowMapper<Delivery> DELIVERY = (rs, row) -> new Delivery(rs.getLong("id"),
            rs.getString("event_id"), rs.getString("event_type"), rs.getLong("endpoint_id"), rs.getString("status"),
            rs.getInt("attempts"), instant(rs.getTimestamp("next_attempt_at")),
            instant(rs.getTimestamp("last_attempt_at")), rs.getString("last_error"),
            rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("delivered_at")),
            rs.getString("payload"));

    private final WebhookEndpoints endpoints;
    private final JdbcClient jdbc;
    private final Clock clock;

    AdminWebhookController(WebhookEndpoints endpoints, JdbcClient jdbc, Clock clock) {
        this.endpoints = endpoints;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record NewEndpoint(@Nullable String url) {
    }

    record Delivery(long id, String eventId, String eventType, long endpointId, String status, int attempts,
            @Nullable Instant nextAttemptAt, @Nullable Instant lastAttemptAt, @Nullable String lastError,
            Instant createdAt, @Nullable Instant deliveredAt, String payload) {
    }

    /** The answer is the only place the endpoint's signing secret is ever shown. */
    @PostMapping("/api/admin/webhooks/endpoints")
    ResponseEntity<WebhookEndpoints.WithSecret> create(@RequestBody NewEndpoint request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(endpoints.create(request.url()));
    }

    @GetMapping("/api/admin/webhooks/endpoints")
    List<WebhookEndpoints.Endpoint> list() {
        return endpoints.all();
    }

    @PostMapping("/api/admin/webhooks/endpoints/{id}/enable")
    void enable(@PathVariable long id) {
        switchTo(id, true);
    }

    @PostMapping("/api/admin/webhooks/endpoints/{id}/disable")
    void disable(@PathVariable long id) {
        switchTo(id, false);
    }

    @GetMapping("/api/admin/webhooks/deliveries")
    List<Delivery> deliveries(@RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("INVALID_STATUS", "status must be one of " + STATUSES);
        }
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be 1 to 1000");
        }
        return jdbc.sql("""
                select * from webhook_delivery where (cast(:status as text) is null or status = :status)
                order by created_at desc, id desc limit :limit""")
                .param("status", status).param("limit", limit).query(DELIVERY).list();
    }

    /** Sends the webhook again from now on, with a fresh retry schedule, whatever its state. */
    @PostMapping("/api/admin/webhooks/deliveries/{id}/resend")
    Delivery resend(@PathVariable long id) {
        return jdbc.sql("""
                update webhook_delivery set status = 'PENDING', attempts = 0, next_attempt_at = :now
                where id = :id returning *""")
                .param("now", Timestamp.from(clock.instant())).param("id", id).query(DELIVERY).optional()
                .orElseThrow(() -> ApiException.notFound("DELIVERY_NOT_FOUND", "No webhook delivery " + id));
    }

    private void switchTo(long id, boolean enabled) {
        if (!endpoints.setEnabled(id, enabled)) {
            throw ApiException.notFound("ENDPOINT_NOT_FOUND", "No webhook endpoint " + id);
        }
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
