package kami.wallet.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kami.platform.ApiException;
import kami.platform.Roles;
import kami.wallet.internal.domain.CredentialRejection;
import kami.wallet.internal.domain.CredentialRules;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Wallet users and their sessions. A login token is 256 random bits shown once; only its SHA-256 is stored
 * (a token that random needs no slow hash, and a leaked table then opens no wallet). Passwords are stored as
 * BCrypt hashes (cost 10). An unknown address and a wrong password get the same answer after the same work, so
 * the answer does not tell which addresses have accounts. After {@code kami.wallet.login-failures-max} failed
 * logins for one address within {@code kami.wallet.login-lockout}, logins for it are refused for the rest of the
 * window, whether or not the address has an account.
 */
@Component
class WalletUsers {

    static final int TOKEN_BYTES = 32;
    static final int TOKEN_LENGTH_MAX = 100;
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(WalletUsers.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final WalletProperties properties;
    private final Clock clock;
    private final BCryptPasswordEncoder passwords = new BCryptPasswordEncoder();
    /** Compared against when the address is unknown, so that answer costs a BCrypt check as well. */
    private final String unknownUserHash;

    WalletUsers(JdbcClient jdbc, WalletProperties properties, Clock clock, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.unknownUserHash = passwords.encode(randomToken());
    }

    record User(long id, String email) {
    }

    record Session(String token, Instant expiresAt) {
    }

    User signUp(@Nullable String email, @Nullable String password) {
        CredentialRejection rejection = CredentialRules.validate(email, password);
        if (rejection != null) {
            throw ApiException.badRequest(rejection.name(), switch (rejection) {
                case INVALID_EMAIL -> "email must be a valid e-mail address of at most "
                        + CredentialRules.EMAIL_LENGTH_MAX + " characters";
                case INVALID_PASSWORD -> "password must have at least " + CredentialRules.PASSWORD_LENGTH_MIN
                        + " characters and at most " + CredentialRules.PASSWORD_BYTES_MAX + " bytes in UTF-8";
            });
        }
        String address = email.strip();
        String hash = passwords.encode(password);
        // The unique key decides a race between two sign-ups with one address: the second inserts nothing.
        Long id = jdbc.sql("""
                insert into wallet_user (email, email_key, password_hash, created_at)
                values (:email, :key, :hash, :now)
                on conflict (email_key) do nothing
                returning id""")
                .param("email", address).param("key", CredentialRules.emailKey(address)).param("hash", hash)
                .param("now", Timestamp.from(clock.instant())).query(Long.class).optional()
                .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "EMAIL_TAKEN", "An account with this "
                        + "e-mail address exists already"));
        return new User(id, address);
    }

    Session login(@Nullable String email, @Nullable String password) {
        String key = email == null ? null : CredentialRules.emailKey(email);
        Instant windowStart = clock.instant().minus(properties.loginLockout());
        if (key != null && recentFailures(key, windowStart) >= properties.loginFailuresMax()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "TOO_MANY_LOGIN_ATTEMPTS", "Too many failed "
                    + "logins for this e-mail address; try again in " + properties.loginLockout().toMinutes()
                    + " minutes");
        }
        Optional<StoredUser> user = key == null ? Optional.empty() : jdbc.sql("""
                select id, password_hash from wallet_user where email_key = :key""")
                .param("key", key)
                .query((rs, row) -> new StoredUser(rs.getLong("id"), rs.getString("password_hash"))).optional();
        boolean matches = passwordMatches(password, user.map(StoredUser::passwordHash).orElse(unknownUserHash));
        if (user.isEmpty() || !matches) {
            if (key != null) {
                jdbc.sql("insert into wallet_login_failure (email_key, failed_at) values (:key, :now)")
                        .param("key", key).param("now", Timestamp.from(clock.instant())).update();
            }
            throw new ApiException(HttpStatus.UNAUTHORIZED, "BAD_CREDENTIALS", "E-mail address or password is "
                    + "wrong");
        }
        jdbc.sql("delete from wallet_login_failure where email_key = :key").param("key", key).update();
        String token = randomToken();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = now.plus(properties.sessionTtl());
        jdbc.sql("""
                insert into wallet_session (token_hash, user_id, created_at, expires_at)
                values (:hash, :user, :now, :expires)""")
                .param("hash", sha256(token)).param("user", user.get().id()).param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(expiresAt)).update();
        return new Session(token, expiresAt);
    }

    /** The user whose unexpired session the {@code Authorization: Bearer} header names. */
    Optional<SignedInUser> authenticate(@Nullable String authorization) {
        String token = bearerToken(authorization);
        if (token == null) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select u.id, u.email from wallet_session s join wallet_user u on u.id = s.user_id
                where s.token_hash = :hash and s.expires_at > :now""")
                .param("hash", sha256(token)).param("now", Timestamp.from(clock.instant()))
                .query((rs, row) -> new SignedInUser(rs.getLong("id"), rs.getString("email"))).optional();
    }

    /** Ends the session the header names; false when there was none. */
    boolean logout(@Nullable String authorization) {
        String token = bearerToken(authorization);
        return token != null && jdbc.sql("delete from wallet_session where token_hash = :hash")
                .param("hash", sha256(token)).update() == 1;
    }

    @Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.HOURS)
    void purgeExpiredSessions() {
        if (!roles.worker()) {
            return;
        }
        int purged = jdbc.sql("delete from wallet_session where expires_at <= :now")
                .param("now", Timestamp.from(clock.instant())).update();
        if (purged > 0) {
            log.info("Purged {} expired wallet sessions", purged);
        }
        jdbc.sql("delete from wallet_login_failure where failed_at <= :windowStart")
                .param("windowStart", Timestamp.from(clock.instant().minus(properties.loginLockout()))).update();
    }

    private long recentFailures(String emailKey, Instant windowStart) {
        return jdbc.sql("select count(*) from wallet_login_failure where email_key = :key and failed_at > :since")
                .param("key", emailKey).param("since", Timestamp.from(windowStart)).query(Long.class).single();
    }

    private boolean passwordMatches(@Nullable String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > CredentialRules.PASSWORD_BYTES_MAX) {
            // No such password was ever accepted; spend the same work anyway.
            passwords.matches(unknownUserHash, hash);
            return false;
        }
        return passwords.matches(password, hash);
    }

    private static @Nullable String bearerToken(@Nullable String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() || token.length() > TOKEN_LENGTH_MAX ? null : token;
    }

    private static String randomToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record StoredUser(long id, String passwordHash) {
    }
}
