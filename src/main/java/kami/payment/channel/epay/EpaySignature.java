package kami.payment.channel.epay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The protocol's signature: every non-empty parameter except {@code sign} and {@code sign_type}, sorted by name,
 * joined as {@code k=v&k2=v2} with raw (not URL-encoded) values, the key appended directly, then lower-case hex
 * MD5. MD5 is the protocol's choice, not Kami's; it is all the provider can check.
 */
final class EpaySignature {

    static final String SIGN_TYPE = "MD5";

    private EpaySignature() {
    }

    static String sign(Map<String, String> parameters, String key) {
        return md5Hex(content(parameters) + key);
    }

    /** Compares in constant time, so the answer time tells nothing about how much of a forgery was right. */
    static boolean matches(Map<String, String> parameters, String key, @Nullable String given) {
        if (given == null || given.isBlank()) {
            return false;
        }
        byte[] expected = sign(parameters, key).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = given.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    /** The signed text without the key; names compare by UTF-16 code unit, which is ASCII order for ASCII names. */
    static String content(Map<String, String> parameters) {
        StringJoiner joined = new StringJoiner("&");
        new TreeMap<>(parameters).forEach((name, value) -> {
            if (!name.equals("sign") && !name.equals("sign_type") && value != null && !value.isEmpty()) {
                joined.add(name + "=" + value);
            }
        });
        return joined.toString();
    }

    private static String md5Hex(String text) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
