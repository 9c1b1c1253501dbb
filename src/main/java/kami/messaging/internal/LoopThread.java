package kami.messaging.internal;

import org.jspecify.annotations.Nullable;

/**
 * One virtual thread running a loop until stopped. The loop checks {@link #running()} between steps; stopping
 * interrupts whatever wait it is in and returns once it has ended. Starting and stopping twice are harmless.
 */
final class LoopThread {

    private final String name;
    private final Runnable loop;
    private volatile boolean running;
    private @Nullable Thread thread;

    LoopThread(String name, Runnable loop) {
        this.name = name;
        this.loop = loop;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name(name).start(loop);
    }

    synchronized void stop() throws InterruptedException {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            current.join();
        }
        thread = null;
    }

    boolean running() {
        return running;
    }
}
