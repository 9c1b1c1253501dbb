package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void multipliesInMinorUnits() {
        assertThat(Money.of(3500, "CNY").times(3)).isEqualTo(Money.of(10500, "CNY"));
    }

    @Test
    void refusesToAddDifferentCurrencies() {
        assertThatThrownBy(() -> Money.of(1, "CNY").plus(Money.of(1, "USD")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE / 2 + 1, "CNY").times(2))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void unknownCurrencyIsRejected() {
        assertThatThrownBy(() -> Money.of(1, "XYZ")).isInstanceOf(IllegalArgumentException.class);
    }
}
