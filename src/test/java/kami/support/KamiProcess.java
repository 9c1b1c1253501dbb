package kami.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Kami started from the built jar as a separate process, so tests can kill it for real. */
public final class KamiProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final int port;
    private final Path log;
    private final Http http;

    private KamiProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.http = new Http(port);
    }

    public static KamiProcess start(Path dataDir, int databasePort, Path log, String... extraArguments)
            throws IOException {
        return startOnPort(freePort(), dataDir, databasePort, log, extraArguments);
    }

    /** Like {@link #start}, on a given HTTP port: a process restarted on its port is found where it was. */
    public static KamiProcess startOnPort(int port, Path dataDir, int databasePort, Path log,
            String... extraArguments) throws IOException {
        Path jar = Path.of("target", "kami.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("target/kami.jar is missing: run the package phase first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(),
                "--kami.data-dir=" + dataDir, "--server.port=" + port, "--kami.embedded-db.port=" + databasePort,
                "--kami.admin.token=" + Http.ADMIN_TOKEN, "--kami.demo.enabled=false"));
        command.addAll(List.of(extraArguments));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        KamiProcess kami = new KamiProcess(process, port, log);
        kami.awaitHealthy();
        return kami;
    }

    /** The one client for this process (a client per call would leave its threads behind until GC). */
    public Http http() {
        return http;
    }

    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        http.close();
    }

    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        http.close();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitHealthy() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kami exited with " + process.exitValue() + "; log:\n" + log());
            }
            try {
                if (http.get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYetListening) {
                // Keep waiting until the deadline.
            }
            sleep(Duration.ofMillis(250));
        }
        process.destroyForcibly();
        http.close();
        throw new IllegalStateException("Kami did not become healthy in " + START_TIMEOUT + "; log:\n" + log());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
