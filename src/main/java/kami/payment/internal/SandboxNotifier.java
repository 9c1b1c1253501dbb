package kami.payment.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kami.platform.Role;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The sandbox PSP's notify sender: signs the notify, posts it to the merchant's notify URL over HTTP and
 * retries with growing pauses until the merchant answers {@code success}. Pending notifies live in the PSP's
 * table, so they survive a restart.
 */
@Component
class SandboxNotifier {

    static final Duration BACKOFF_MIN = Duration.ofMillis(250);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
    static final int RETRY_BATCH_MAX = 100;

    private static final Logger log = LoggerFactory.getLogger(SandboxNotifier.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Roles roles;
    private volatile boolean warnedAboutNotifyUrl;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final SandboxSignature signature;
    private final SandboxProperties properties;
    private final SandboxFaults faults;
    private final Environment environment;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    SandboxNotifier(JdbcClient jdbc, ObjectMapper json, SandboxProperties properties, SandboxFaults faults,
            Environment environment, Clock clock, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.json = json;
        this.signature = new SandboxSignature(properties.secret());
        this.properties = properties;
        this.faults = faults;
        this.environment = environment;
        this.clock = clock;
    }

    void sendSoon(SandboxTrade trade, Duration delay) {
        Thread.ofVirtual().name("sandbox-notify-" + trade.paymentNo()).start(() -> {
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            attempt(trade);
        });
    }

    @Scheduled(fixedDelayString = "${kami.channels.sandbox.retry-interval:500ms}")
    void retryDue() {
        if (!roles.worker()) {
            return;
        }
        Instant now = clock.instant();
        List<SandboxTrade> due = jdbc.sql("""
                update sandbox_trade set next_notify_at = :lease
                where payment_no in (
                    select payment_no from sandbox_trade
                    where notify_state = 'PENDING' and next_notify_at <= :now
                    order by next_notify_at
                    limit :limit
                    for update skip locked)
                returning *""")
                .param("lease", Timestamp.from(now.plus(SandboxPsp.ATTEMPT_LEASE)))
                .param("now", Timestamp.from(now)).param("limit", RETRY_BATCH_MAX)
                .query(SandboxPsp.TRADE).list();
        for (SandboxTrade trade : due) {
            Thread.ofVirtual().name("sandbox-notify-retry-" + trade.paymentNo()).start(() -> attempt(trade));
        }
    }

    void attempt(SandboxTrade trade) {
        if (faults.dropThisAttempt()) {
            failed(trade, "dropped by the sandbox fault switch");
            return;
        }
        String body = body(trade);
        String sig = signature.sign(body);
        HttpRequest request = HttpRequest.newBuilder(notifyUri()).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("X-Sandbox-Signature", sig)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        List<CompletableFuture<HttpResponse<String>>> copies = new ArrayList<>();
        for (int i = 0; i <= faults.duplicates(); i++) {
            copies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        boolean acknowledged = false;
        String error = null;
        for (CompletableFuture<HttpResponse<String>> copy : copies) {
            try {
                HttpResponse<String> response = copy.join();
                if (response.statusCode() == 200 && "success".equals(response.body().trim())) {
                    acknowledged = true;
                } else {
                    error = "HTTP " + response.statusCode() + ": " + abbreviate(response.body());
                }
            } catch (RuntimeException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        if (acknowledged) {
            // Without waiting for the disk (NoWaitCommit): an acknowledgement lost to a database crash only makes
            // the sandbox send the notify again, which Kami recognises as a duplicate, as a real PSP would.
            NoWaitCommit.requireOwnTransaction("a sandbox notify's acknowledgement is recorded");
            jdbc.sql("""
                    update sandbox_trade set notify_state = 'ACKNOWLEDGED', notify_attempts = notify_attempts + 1,
                        next_notify_at = null, last_notify_error = null
                    where payment_no = :no and notify_state = 'PENDING'
                      and set_config('synchronous_commit', 'off', true) = 'off'""")
                    .param("no", trade.paymentNo()).update();
        } else {
            failed(trade, error);
        }
    }

    private void failed(SandboxTrade trade, String error) {
        Integer attempts = jdbc.sql("""
                update sandbox_trade set notify_attempts = notify_attempts + 1, last_notify_error = :error,
                    next_notify_at = :now
                where payment_no = :no and notify_state = 'PENDING'
                returning notify_attempts""")
                .param("error", abbreviate(error)).param("now", Timestamp.from(clock.instant()))
                .param("no", trade.paymentNo()).query(Integer.class).optional().orElse(null);
        if (attempts == null) {
            return;
        }
        Instant next = clock.instant().plus(backoff(attempts));
        jdbc.sql("update sandbox_trade set next_notify_at = :next where payment_no = :no and notify_state = 'PENDING'")
                .param("next", Timestamp.from(next)).param("no", trade.paymentNo()).update();
        log.info("Sandbox notify for {} not acknowledged (attempt {}): {}; next attempt at {}", trade.paymentNo(),
                attempts, error, next);
    }

    static Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 20);
        Duration pause = BACKOFF_MIN.multipliedBy(1L << doublings);
        return pause.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : pause;
    }

    private String body(SandboxTrade trade) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        SandboxNotify notify = new SandboxNotify(trade.paymentNo(), trade.channelTradeNo(), trade.amountMinor(),
                trade.currency(), "SUCCESS", clock.instant().getEpochSecond(), HexFormat.of().formatHex(nonce));
        return json.writeValueAsString(notify);
    }

    private URI notifyUri() {
        String configured = properties.notifyUrl();
        if (configured != null && !configured.isBlank()) {
            return URI.create(configured);
        }
        if (!roles.has(Role.NOTIFY) && !warnedAboutNotifyUrl) {
            warnedAboutNotifyUrl = true;
            log.warn("ALERT the sandbox sends its notifies to this process, which does not take the notify role: "
                    + "set kami.channels.sandbox.notify-url to a notify process's /api/notify/sandbox");
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return URI.create("http://127.0.0.1:" + port + SandboxPaths.NOTIFY);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
