package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kami.platform.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fen become yuan with exactly two decimals and back, without floating point and without rounding. */
class EpayMoneyTest {

    @Test
    void oneFenIsZeroPointZeroOneYuan() {
        assertThat(EpayMoney.yuan(Money.of(1, "CNY"))).isEqualTo("0.01");
        assertThat(EpayMoney.parse("0.01")).isEqualTo(Money.of(1, "CNY"));
    }

    @Test
    void oneHundredYuanKeepsBothDecimals() {
        assertThat(EpayMoney.yuan(Money.of(10000, "CNY"))).isEqualTo("100.00");
        assertThat(EpayMoney.parse("100.00")).isEqualTo(Money.of(10000, "CNY"));
    }

    @Test
    void amountsWithFewerDecimalsAreReadExactly() {
        assertThat(EpayMoney.parse("100")).isEqualTo(Money.of(10000, "CNY"));
        assertThat(EpayMoney.parse("0.1")).isEqualTo(Money.of(10, "CNY"));
        assertThat(EpayMoney.parse("0.00")).isEqualTo(Money.of(0, "CNY"));
    }

    @Test
    void largeAmountsSurviveTheRoundTrip() {
        Money large = Money.of(99_999_999_999_99L, "CNY");

        assertThat(EpayMoney.parse(EpayMoney.yuan(large))).isEqualTo(large);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.001", "-1.00", "+1.00", "1e2", "1,00", " 1.00", "1.", ".5", "", "abc",
            "12345678901234.00"})
    void anythingButAPlainAmountWithAtMostTwoDecimalsIsRefused(String yuan) {
        assertThat(EpayMoney.parse(yuan)).isNull();
    }

    @Test
    void onlyCnyIsConverted() {
        assertThatThrownBy(() -> EpayMoney.yuan(Money.of(100, "USD"))).isInstanceOf(IllegalArgumentException.class);
    }
}
