package kami.ordering.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import kami.ordering.OrderStatus;
import kami.platform.AfterCommit;
import org.springframework.stereotype.Component;

/**
 * Wakes buyers waiting for their order to change, as soon as the change is committed. Only waiters in this
 * process are woken; waiters elsewhere find the change on their next re-read, so this is a shortcut and never
 * the only way a change is seen.
 *
 * <p>A waiter says which new statuses are worth a look: one waiting for its order to be delivered sleeps through
 * the move to PAID instead of reading the order again for it. It stays registered from before its first read to
 * the end of its wait, so no change committed in between can pass unseen.
 */
@Component
class OrderChangeSignals {

    private final ConcurrentHashMap<String, List<Watch>> watches = new ConcurrentHashMap<>();

    /** Registers a waiter that any change wakes, until {@link Watch#wakeOn} narrows it. */
    Watch watch(String orderNo) {
        Watch watch = new Watch(orderNo);
        watches.compute(orderNo, (no, present) -> with(present, watch));
        return watch;
    }

    void forget(Watch watch) {
        watches.computeIfPresent(watch.orderNo, (no, present) -> without(present, watch));
    }

    /** Signals the orders' move to {@code to} once the current transaction commits (at once when there is none). */
    void changed(Collection<String> orderNos, OrderStatus to) {
        if (orderNos.isEmpty() || watches.isEmpty()) {
            return;
        }
        AfterCommit.run(() -> orderNos.forEach(orderNo -> fire(orderNo, to)));
    }

    /** Waiters registered now, over all orders. */
    int waiters() {
        return watches.values().stream().mapToInt(List::size).sum();
    }

    private void fire(String orderNo, OrderStatus to) {
        watches.computeIfPresent(orderNo, (no, present) -> {
            List<Watch> sleeping = new ArrayList<>(present.size());
            for (Watch watch : present) {
                if (watch.wakesOn.test(to)) {
                    watch.signal.complete(null);
                } else {
                    sleeping.add(watch);
                }
            }
            return sleeping.isEmpty() ? null : List.copyOf(sleeping);
        });
    }

    private static List<Watch> with(List<Watch> present, Watch added) {
        if (present == null) {
            return List.of(added);
        }
        List<Watch> all = new ArrayList<>(present);
        all.add(added);
        return List.copyOf(all);
    }

    private static List<Watch> without(List<Watch> present, Watch removed) {
        List<Watch> rest = new ArrayList<>(present);
        rest.remove(removed);
        return rest.isEmpty() ? null : List.copyOf(rest);
    }

    /** One waiter's registration; fired once, after which the waiter registers again if it waits on. */
    static final class Watch {

        private final String orderNo;
        private final CompletableFuture<Void> signal = new CompletableFuture<>();
        private volatile Predicate<OrderStatus> wakesOn = status -> true;

        private Watch(String orderNo) {
            this.orderNo = orderNo;
        }

        /** From now on only a move to a status that passes {@code test} wakes this waiter. */
        void wakeOn(Predicate<OrderStatus> test) {
            wakesOn = test;
        }

        CompletableFuture<Void> signal() {
            return signal;
        }
    }
}
