package kami.wallet.internal.domain;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What an e-mail address and a password must be, and how addresses are compared. */
public final class CredentialRules {

    public static final int EMAIL_LENGTH_MAX = 254;
    public static final int PASSWORD_LENGTH_MIN = 8;
    /** BCrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused instead. */
    public static final int PASSWORD_BYTES_MAX = 72;

    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@.]+$");

    private CredentialRules() {
    }

    public static @Nullable CredentialRejection validate(@Nullable String email, @Nullable String password) {
        String stripped = email == null ? "" : email.strip();
        if (stripped.length() > EMAIL_LENGTH_MAX || !EMAIL.matcher(stripped).matches()) {
            return CredentialRejection.INVALID_EMAIL;
        }
        if (password == null || password.codePointCount(0, password.length()) < PASSWORD_LENGTH_MIN
                || password.getBytes(StandardCharsets.UTF_8).length > PASSWORD_BYTES_MAX) {
            return CredentialRejection.INVALID_PASSWORD;
        }
        return null;
    }

    /** The key an address is unique and looked up by: one account per address, whatever its case. */
    public static String emailKey(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
