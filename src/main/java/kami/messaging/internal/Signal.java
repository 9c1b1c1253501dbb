package kami.messaging.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes waiting workers without losing a wake-up: a worker notes the generation before it looks for work and
 * waits only while no raise happened since. A worker that is not waiting when a raise happens sees the new
 * generation and looks again, so waking only as many waiters as there is work for loses nothing.
 */
final class Signal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition raised = lock.newCondition();
    private long generation;

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter. */
    void raise() {
        lock.lock();
        try {
            generation++;
            raised.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes at most {@code waiters} of the waiting workers: one per new piece of work, so that one message does
     * not send every idle worker to the database to find it taken.
     */
    void raise(int waiters) {
        lock.lock();
        try {
            generation++;
            for (int i = 0; i < waiters; i++) {
                raised.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a raise after {@code seen}, or the timeout. */
    void awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (generation == seen && nanos > 0) {
                nanos = raised.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many workers are waiting now (for tests and diagnostics). */
    int waiting() {
        lock.lock();
        try {
            return lock.getWaitQueueLength(raised);
        } finally {
            lock.unlock();
        }
    }

    static void sleepQuietly(Duration pause) {
        try {
            TimeUnit.MILLISECONDS.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
