package kami.ordering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kami.ordering.OrderStatus;
import org.junit.jupiter.api.Test;

class OrderChangeSignalsTest {

    private final OrderChangeSignals signals = new OrderChangeSignals();

    @Test
    void aWaiterForDeliverySleepsThroughPaymentAndWakesOnDelivery() {
        OrderChangeSignals.Watch watch = signals.watch("K1");
        watch.wakeOn(status -> status == OrderStatus.DELIVERED);

        signals.changed(List.of("K1"), OrderStatus.PAID);
        assertThat(watch.signal()).as("a move to PAID is not what it waits for").isNotDone();
        assertThat(signals.waiters()).as("still registered for the next change").isEqualTo(1);

        signals.changed(List.of("K1"), OrderStatus.DELIVERED);
        assertThat(watch.signal()).isDone();
        assertThat(signals.waiters()).as("a fired waiter is no longer registered").isZero();
    }

    @Test
    void aWaiterThatHasNotNarrowedItsInterestWakesOnAnyChange() {
        OrderChangeSignals.Watch beforeItsFirstRead = signals.watch("K1");

        signals.changed(List.of("K1"), OrderStatus.PAID);

        assertThat(beforeItsFirstRead.signal()).as("it may have read the order before the change").isDone();
    }

    @Test
    void eachWaiterOfAnOrderDecidesForItselfAndOtherOrdersAreLeftAlone() {
        OrderChangeSignals.Watch anyChange = signals.watch("K1");
        OrderChangeSignals.Watch untilDelivered = signals.watch("K1");
        untilDelivered.wakeOn(status -> status == OrderStatus.DELIVERED);
        OrderChangeSignals.Watch otherOrder = signals.watch("K2");

        signals.changed(List.of("K1"), OrderStatus.PAID);

        assertThat(anyChange.signal()).isDone();
        assertThat(untilDelivered.signal()).isNotDone();
        assertThat(otherOrder.signal()).isNotDone();
        assertThat(signals.waiters()).isEqualTo(2);
    }

    @Test
    void aForgottenWaiterIsNotWokenAndLeavesNothingBehind() {
        OrderChangeSignals.Watch watch = signals.watch("K1");

        signals.forget(watch);
        signals.changed(List.of("K1"), OrderStatus.DELIVERED);

        assertThat(watch.signal()).isNotDone();
        assertThat(signals.waiters()).isZero();
    }
}
