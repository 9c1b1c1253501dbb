package kami.ordering.internal;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes buyers waiting for their order to change, as soon as the change is committed. Only waiters in this
 * process are woken; waiters elsewhere find the change on their next re-read, so this is a shortcut and never
 * the only way a change is seen.
 */
@Component
class OrderChangeSignals {

    private final ConcurrentHashMap<String, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();

    CompletableFuture<Void> watch(String orderNo) {
        return signals.computeIfAbsent(orderNo, no -> new CompletableFuture<>());
    }

    void forget(String orderNo, CompletableFuture<Void> signal) {
        signals.remove(orderNo, signal);
    }

    /** Signals the orders once the current transaction commits (at once when there is none). */
    void changed(Collection<String> orderNos) {
        if (orderNos.isEmpty() || signals.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            orderNos.forEach(this::fire);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                orderNos.forEach(OrderChangeSignals.this::fire);
            }
        });
    }

    private void fire(String orderNo) {
        CompletableFuture<Void> signal = signals.remove(orderNo);
        if (signal != null) {
            signal.complete(null);
        }
    }
}
