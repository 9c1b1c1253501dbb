package kami.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignalTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private final Signal signal = new Signal();
    private final List<Thread> waiters = new ArrayList<>();

    @AfterEach
    void stopWaiters() {
        waiters.forEach(Thread::interrupt);
    }

    @Test
    void raisingForOnePieceOfWorkWakesOneWaiterAndLeavesTheOthersWaiting() throws InterruptedException {
        startWaiters(3);
        waitFor(() -> signal.waiting() == 3);

        signal.raise(1);

        waitFor(() -> countAlive() == 2);
        Thread.sleep(200);
        assertThat(countAlive()).as("the other waiters stay asleep").isEqualTo(2);
        assertThat(signal.waiting()).isEqualTo(2);
    }

    @Test
    void raisingForAllWakesEveryWaiter() throws InterruptedException {
        startWaiters(3);
        waitFor(() -> signal.waiting() == 3);

        signal.raise();

        waitFor(() -> countAlive() == 0);
    }

    @Test
    void aRaiseBeforeTheWaitIsNotLost() throws InterruptedException {
        long seen = signal.generation();
        signal.raise(1);

        long started = System.nanoTime();
        signal.awaitAfter(seen, LONG_WAIT);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    private void startWaiters(int count) {
        for (int i = 0; i < count; i++) {
            long seen = signal.generation();
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    signal.awaitAfter(seen, LONG_WAIT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 5 s for the condition").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private long countAlive() {
        return waiters.stream().filter(Thread::isAlive).count();
    }
}
