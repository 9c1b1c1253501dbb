package kami.payment.channel.epay;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/** The protocol states amounts as yuan strings with two decimals; Kami counts fen. No floating point on the way. */
final class EpayMoney {

    static final Currency CNY = Currency.getInstance("CNY");

    /**
     * Plain digits with at most two decimals. Signs, exponents and a third decimal are refused rather than
     * rounded: an amount that needs interpreting is not one to credit. 13 integer digits keep fen within a long.
     */
    private static final Pattern YUAN = Pattern.compile("[0-9]{1,13}(\\.[0-9]{1,2})?");

    private EpayMoney() {
    }

    static boolean isCny(Money money) {
        return money.currency().equals(CNY);
    }

    /** {@code 1} fen becomes {@code "0.01"}, {@code 10000} fen {@code "100.00"}. */
    static String yuan(Money money) {
        if (!isCny(money)) {
            throw new IllegalArgumentException("Epay amounts are CNY, not " + money.currencyCode());
        }
        return BigDecimal.valueOf(money.amountMinor(), 2).toPlainString();
    }

    /** The amount a yuan string states, or null when it is not a plain non-negative amount with two decimals. */
    static @Nullable Money parse(@Nullable String yuan) {
        if (yuan == null || !YUAN.matcher(yuan).matches()) {
            return null;
        }
        long fen = new BigDecimal(yuan).movePointRight(2).longValueExact();
        return new Money(fen, CNY);
    }
}
