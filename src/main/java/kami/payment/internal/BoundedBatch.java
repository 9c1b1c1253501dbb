package kami.payment.internal;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Runs the channel calls of a batch side by side, at most {@link #IN_FLIGHT_MAX} at once: below a channel account's
 * bulkhead (32), so a batch of one account's payments is not partly refused by its own bulkhead.
 */
final class BoundedBatch {

    static final int IN_FLIGHT_MAX = 16;

    private BoundedBatch() {
    }

    /** Submits a call per item; the futures answer in the items' order. */
    static <T, R> List<Future<R>> submitAll(ExecutorService executor, List<T> items, Function<T, R> call) {
        Semaphore slots = new Semaphore(IN_FLIGHT_MAX);
        return items.stream().map(item -> executor.submit(() -> {
            slots.acquire();
            try {
                return call.apply(item);
            } finally {
                slots.release();
            }
        })).toList();
    }
}
