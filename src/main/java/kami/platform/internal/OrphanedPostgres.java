package kami.platform.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the JVM is killed hard, the PostgreSQL it started keeps running and holds the data directory. Starting
 * again would either fail or, worse, attach to the orphan by accident. We stop the orphan with a fast shutdown
 * (SIGINT: it rolls back open transactions and checkpoints) and wait for it to exit before starting our own.
 */
final class OrphanedPostgres {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);
    private static final Duration SHUTDOWN_WAIT_MAX = Duration.ofSeconds(60);

    private OrphanedPostgres() {
    }

    static void stopIfRunning(Path pgData) throws IOException {
        Optional<ProcessHandle> orphan = runningPostmaster(pgData);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = orphan.get();
        log.warn("PostgreSQL (pid {}) from an earlier run still holds {}; stopping it", postmaster.pid(), pgData);
        signal(postmaster.pid(), "-INT");
        Instant deadline = Instant.now().plus(SHUTDOWN_WAIT_MAX);
        while (postmaster.isAlive() && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(100));
        }
        if (postmaster.isAlive()) {
            log.warn("PostgreSQL (pid {}) did not stop in {}; killing it, it will recover from its WAL",
                    postmaster.pid(), SHUTDOWN_WAIT_MAX);
            postmaster.destroyForcibly();
            while (postmaster.isAlive()) {
                sleep(Duration.ofMillis(100));
            }
        }
    }

    static Optional<ProcessHandle> runningPostmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || lines.getFirst().isBlank()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.getFirst().trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(OrphanedPostgres::isPostgres);
    }

    private static boolean isPostgres(ProcessHandle process) {
        // When the command is not visible we still treat the process as the postmaster: the pid file says so.
        return process.info().command().map(command -> command.contains("postgres")).orElse(true);
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL " + pid, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
