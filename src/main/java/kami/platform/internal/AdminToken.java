package kami.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import kami.platform.KamiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The admin token: {@code KAMI_ADMIN_TOKEN} or {@code kami.admin.token}; otherwise one generated on first start,
 * stored in {@code <data-dir>/admin-token} and printed to the log that one time only.
 */
@Component
class AdminToken {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    private static final int GENERATED_BYTES = 24;
    private static final String BEARER = "Bearer ";

    private final String value;

    AdminToken(KamiProperties kami, @Value("${kami.admin.token:}") String configured) throws IOException {
        this.value = StringUtils.hasText(configured) ? configured.trim()
                : loadOrCreate(kami.dataDir().resolve("admin-token"));
    }

    String value() {
        return value;
    }

    /** Whether an {@code Authorization} header carries this token, compared in constant time. */
    boolean authorizes(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                authorizationHeader.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static String loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        SecretFiles.writeOwnerOnly(file, token);
        log.warn("Generated the admin token (shown once; also stored in {}): {}", file, token);
        return token;
    }
}
