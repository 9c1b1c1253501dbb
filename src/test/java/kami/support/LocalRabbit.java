package kami.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The machine's RabbitMQ (127.0.0.1:5672, guest/guest), administered with {@code rabbitmqctl}: a virtual host per
 * test run keeps its queues apart from every other run's, and the broker can be restarted under running Kami
 * processes.
 */
public final class LocalRabbit implements AutoCloseable {

    public static final int PORT = 5672;

    private final String virtualHost;

    private LocalRabbit(String virtualHost) {
        this.virtualHost = virtualHost;
    }

    public static LocalRabbit withFreshVirtualHost(String prefix) throws IOException, InterruptedException {
        String virtualHost = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", virtualHost);
        rabbitmqctl("set_permissions", "-p", virtualHost, "guest", ".*", ".*", ".*");
        return new LocalRabbit(virtualHost);
    }

    public String virtualHost() {
        return virtualHost;
    }

    /** Kami's command-line arguments for the rabbitmq transport on this virtual host. */
    public List<String> kamiArguments() {
        return kamiArguments(PORT);
    }

    /** Like {@link #kamiArguments()}, reaching the broker on another port of this machine (a proxy). */
    public List<String> kamiArguments(int port) {
        return List.of("--kami.messaging.transport=rabbitmq", "--spring.rabbitmq.host=127.0.0.1",
                "--spring.rabbitmq.port=" + port, "--spring.rabbitmq.virtual-host=" + virtualHost);
    }

    /**
     * Stops the broker application (every connection is closed, queues go down), waits, and starts it again;
     * returns once it takes connections. Durable quorum queues come back with their messages.
     */
    public void restart(Duration down) throws IOException, InterruptedException {
        rabbitmqctl("stop_app");
        Thread.sleep(down.toMillis());
        rabbitmqctl("start_app");
        rabbitmqctl("await_startup");
    }

    /** Consumers attached to each queue of the virtual host, by queue name. */
    public Map<String, Integer> consumersByQueue() throws IOException, InterruptedException {
        Map<String, Integer> consumers = new TreeMap<>();
        for (String line : rabbitmqctl("list_queues", "-p", virtualHost, "--no-table-headers", "name", "consumers")
                .split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 2) {
                consumers.put(columns[0], Integer.parseInt(columns[1]));
            }
        }
        return consumers;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        rabbitmqctl("delete_vhost", virtualHost);
    }

    private static String rabbitmqctl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 2 minutes");
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                    + output);
        }
        return output;
    }
}
