package kami.payment.channel.alipay;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.regex.Pattern;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/** Amounts and times as Alipay writes them: yuan with at most two decimals, and Beijing wall-clock time. */
final class AlipayFormats {

    static final String CURRENCY = "CNY";
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    /** Alipay's largest single trade is 100,000,000.00 yuan; ten integer digits leave room and stay in a long. */
    private static final Pattern YUAN = Pattern.compile("(0|[1-9][0-9]{0,9})(\\.[0-9]{1,2})?");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** {@code gmt_refund} carries milliseconds; the other times do not. */
    private static final DateTimeFormatter TIME_READ = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private AlipayFormats() {
    }

    /** {@code 990 CNY} becomes {@code "9.90"}. */
    static String yuan(Money amount) {
        if (!CURRENCY.equals(amount.currencyCode())) {
            throw new IllegalArgumentException("Alipay amounts are CNY, not " + amount.currencyCode());
        }
        return BigDecimal.valueOf(amount.amountMinor(), 2).toPlainString();
    }

    /**
     * Reads a positive yuan amount; anything else (more than two decimals, a sign, an exponent, zero) is
     * {@code null}, so that no rounding ever decides how much was paid.
     */
    static @Nullable Money money(@Nullable String yuan) {
        if (yuan == null || !YUAN.matcher(yuan).matches()) {
            return null;
        }
        long fen = new BigDecimal(yuan).movePointRight(2).longValueExact();
        return fen > 0 ? Money.of(fen, CURRENCY) : null;
    }

    static String time(Instant instant) {
        return TIME.format(instant.atZone(BEIJING));
    }

    /** Reads a Beijing time; {@code null} when absent or unreadable. */
    static @Nullable Instant instant(@Nullable String beijingTime) {
        if (beijingTime == null || beijingTime.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(beijingTime.trim(), TIME_READ).atZone(BEIJING).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The SDK parses response times in GMT+8 into {@link Date}s, which are instants. */
    static @Nullable Instant instant(@Nullable Date date) {
        return date == null ? null : date.toInstant();
    }
}
