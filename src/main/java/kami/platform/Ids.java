package kami.platform;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Business numbers such as order and payment numbers: a prefix, the UTC date for people reading them, and 60
 * random bits in Crockford base32, so that even thousands created per second never collide in practice.
 */
public final class Ids {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd").withZone(ZoneOffset.UTC);
    private static final int RANDOM_CHARS = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next(char prefix, Instant now) {
        StringBuilder id = new StringBuilder(1 + 6 + RANDOM_CHARS).append(prefix).append(DAY.format(now));
        long bits = RANDOM.nextLong();
        for (int i = 0; i < RANDOM_CHARS; i++) {
            id.append(CROCKFORD[(int) (bits & 31)]);
            bits >>>= 5;
        }
        return id.toString();
    }
}
