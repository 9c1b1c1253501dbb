package kami.webhook.internal;

import com.google.crypto.tink.Aead;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import kami.platform.ApiException;
import kami.platform.Secrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The merchant's webhook endpoints; each has its own signing secret, shown once and stored encrypted. */
@Component
class WebhookEndpoints {

    record Endpoint(long id, String url, boolean enabled, Instant createdAt) {
    }

    record WithSecret(long id, String url, String secret) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ASSOCIATED_DATA = "webhook-endpoint".getBytes(StandardCharsets.UTF_8);

    private final JdbcClient jdbc;
    private final Secrets secrets;
    private final Clock clock;
    private volatile Aead aead;
    private volatile List<Long> enabled;

    WebhookEndpoints(JdbcClient jdbc, Secrets secrets, Clock clock) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Creates an endpoint and returns its secret, the only time the secret is shown. */
    WithSecret create(String url) {
        URI uri = validated(url);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long id = jdbc.sql("""
                insert into webhook_endpoint (url, secret_ciphertext, enabled, created_at)
                values (:url, :secret, true, :now) returning id""")
                .param("url", uri.toString()).param("secret", seal(secret))
                .param("now", Timestamp.from(clock.instant())).query(Long.class).single();
        refresh();
        return new WithSecret(id, uri.toString(), secret);
    }

    List<Endpoint> all() {
        return jdbc.sql("select id, url, enabled, created_at from webhook_endpoint order by id")
                .query((rs, row) -> new Endpoint(rs.getLong("id"), rs.getString("url"), rs.getBoolean("enabled"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /**
     * Endpoints that receive events, as last read: every instance re-reads them every few seconds, and at once
     * after a change made through it, so the hot path of every order does not ask the database.
     */
    List<Long> enabledIds() {
        List<Long> current = enabled;
        if (current == null) {
            current = refresh();
        }
        return current;
    }

    @Scheduled(fixedDelayString = "${kami.webhooks.endpoint-refresh-interval:5s}")
    List<Long> refresh() {
        List<Long> current = List.copyOf(jdbc.sql("select id from webhook_endpoint where enabled")
                .query(Long.class).list());
        enabled = current;
        return current;
    }

    boolean setEnabled(long id, boolean enabled) {
        boolean changed = jdbc.sql("update webhook_endpoint set enabled = :enabled where id = :id")
                .param("enabled", enabled).param("id", id).update() == 1;
        refresh();
        return changed;
    }

    Optional<String> secret(long id) {
        return jdbc.sql("select secret_ciphertext from webhook_endpoint where id = :id").param("id", id)
                .query(byte[].class).optional().map(this::open);
    }

    Optional<String> url(long id) {
        return jdbc.sql("select url from webhook_endpoint where id = :id").param("id", id).query(String.class)
                .optional();
    }

    private static URI validated(String url) {
        try {
            URI uri = URI.create(url == null ? "" : url.strip());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_WEBHOOK_URL", "url must be an absolute http or https URL");
        }
    }

    private byte[] seal(String secret) {
        try {
            return aead().encrypt(secret.getBytes(StandardCharsets.UTF_8), ASSOCIATED_DATA);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a webhook secret", e);
        }
    }

    private String open(byte[] ciphertext) {
        try {
            return new String(aead().decrypt(ciphertext, ASSOCIATED_DATA), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a webhook secret does not decrypt", e);
        }
    }

    /** Fetched on first use: the data keys live in the database, which is migrated after beans are built. */
    private Aead aead() {
        Aead current = aead;
        if (current == null) {
            current = aead = secrets.aead("webhook-secret");
        }
        return current;
    }
}
