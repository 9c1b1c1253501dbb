package kami.ordering;

import static kami.ordering.OrderStatus.DELIVERED;
import static kami.ordering.OrderStatus.EXPIRED;
import static kami.ordering.OrderStatus.NEEDS_REFUND;
import static kami.ordering.OrderStatus.PAID;
import static kami.ordering.OrderStatus.PENDING_PAYMENT;
import static kami.ordering.OrderStatus.REFUNDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderStatusTest {

    private record Transition(OrderStatus from, OrderStatus to) {
    }

    private static final Set<Transition> ALLOWED = Set.of(
            new Transition(PENDING_PAYMENT, PAID), new Transition(PENDING_PAYMENT, EXPIRED),
            new Transition(EXPIRED, PAID), new Transition(EXPIRED, NEEDS_REFUND), new Transition(PAID, DELIVERED),
            new Transition(NEEDS_REFUND, REFUNDED));

    static Stream<Arguments> everyPair() {
        return Stream.of(OrderStatus.values())
                .flatMap(from -> Stream.of(OrderStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void onlyTheDocumentedTransitionsAreAllowed(OrderStatus from, OrderStatus to) {
        boolean allowed = isAllowed(from, to);
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
        if (allowed) {
            assertThatCode(() -> from.requireTransitionTo(to)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> from.requireTransitionTo(to)).isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("everyPair")
    void terminalStatesHaveNoWayOut(OrderStatus from, OrderStatus to) {
        if (from == DELIVERED || from == REFUNDED) {
            assertThat(from.isTerminal()).isTrue();
            assertThat(from.canTransitionTo(to)).isFalse();
        }
    }

    private static boolean isAllowed(OrderStatus from, OrderStatus to) {
        return ALLOWED.contains(new Transition(from, to));
    }
}
