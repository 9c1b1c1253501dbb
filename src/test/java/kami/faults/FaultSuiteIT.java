package kami.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import kami.support.Http;
import kami.support.KamiProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kami as three OS processes on one database: a front process ({@code api,notify,console}, holding the embedded
 * PostgreSQL) and two workers pointed at it. Buyers order and pay without pause while a random process is killed
 * with {@code kill -9} and restarted, again and again. Afterwards every order whose payment was accepted is
 * delivered exactly once, no key is sold twice, the outbox and the delivery queue are empty, nothing is
 * dead-lettered and the ledger reconciles.
 *
 * <p>The suite's short version runs in {@code .ci/run}; the long one:
 * {@code ./mvnw -q -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultSuiteIT
 * -Dkami.faults.orders=10000 -Dkami.faults.kills=20}.
 */
class FaultSuiteIT {

    static final int ORDERS = Integer.getInteger("kami.faults.orders", 600);
    static final int KILLS = Integer.getInteger("kami.faults.kills", 5);
    static final int BUYERS = 12;

    private final Path logs = Path.of("target", "fault-suite");
    private final Path frontData;
    private final int databasePort;
    private final int frontPort;
    private volatile KamiProcess front;
    private final KamiProcess[] workers = new KamiProcess[2];
    private final AtomicInteger unanswered = new AtomicInteger();

    FaultSuiteIT() throws Exception {
        frontData = Files.createTempDirectory("kami-faults-");
        databasePort = KamiProcess.freePort();
        frontPort = KamiProcess.freePort();
    }

    @Test
    void paidOrdersAreDeliveredExactlyOnceWhileProcessesAreKilled() throws Exception {
        Instant started = Instant.now();
        front = startFront();
        for (int i = 0; i < workers.length; i++) {
            workers[i] = startWorker(i);
        }
        long productId = front.http().adminPost("/api/admin/products", Http.toJson(Map.of("name", "Faults",
                "description", "", "priceMinor", 100, "currency", "CNY")), "application/json").json().get("id")
                .asLong();
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < ORDERS + 100; i++) {
            keys.append("FAULT-KEY-").append(i).append('\n');
        }
        front.http().adminPost("/api/admin/products/" + productId + "/keys", keys.toString(), "text/plain");

        ConcurrentLinkedQueue<JsonNode> paid = new ConcurrentLinkedQueue<>();
        AtomicInteger placed = new AtomicInteger();
        List<String> kills = new ArrayList<>();
        try (ExecutorService buyers = Executors.newFixedThreadPool(BUYERS)) {
            for (int b = 0; b < BUYERS; b++) {
                buyers.submit(() -> buy(productId, placed, paid));
            }
            Random random = new Random(42);
            int killEvery = Math.max(1, ORDERS / (KILLS + 1));
            while (kills.size() < KILLS) {
                if (placed.get() >= (kills.size() + 1) * killEvery) {
                    kills.add(killAndRestart(random.nextInt(3)));
                } else {
                    Thread.sleep(50);
                }
            }
        }
        Instant drainStarted = Instant.now();
        assertThat(unanswered.get()).as("pay requests without a definite answer within 3 minutes").isZero();

        Http http = front.http();
        Set<String> soldKeys = new HashSet<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        for (JsonNode order : paid) {
            JsonNode current = awaitDelivered(http, order, deadline);
            assertThat(current.get("keys")).hasSize(1);
            assertThat(soldKeys.add(current.get("keys").get(0).asString())).as("a key sold twice").isTrue();
        }
        Duration drained = Duration.between(drainStarted, Instant.now());
        JsonNode stock = http.adminGet("/api/admin/products/" + productId + "/stock").json();
        assertThat(stock.get("sold").asLong()).as("sold = delivered").isEqualTo(soldKeys.size());
        assertThat(count("select count(*) from customer_order where status = 'DELIVERED'"))
                .as("delivered orders = orders the buyers paid").isEqualTo(paid.size());
        awaitEmpty("messaging_outbox");
        awaitEmpty("messaging_delivery");
        assertThat(http.adminGet("/api/admin/messaging/dead-letters").json()).as("dead letters").isEmpty();
        assertThat(count("select count(*) from customer_order where status = 'PAID'")).as("paid, not delivered")
                .isZero();
        assertThat(http.adminPost("/api/admin/ledger/reconciliation", "", "application/json").json().get("ok")
                .asBoolean()).isTrue();
        System.out.printf("Fault suite: %d orders placed, %d paid and delivered once; %d kills %s; lost 0, "
                + "duplicates 0; drained in %d ms; %d s in all%n", placed.get(), paid.size(), kills.size(), kills,
                drained.toMillis(), Duration.between(started, Instant.now()).toSeconds());
        for (KamiProcess worker : workers) {
            worker.stop();
        }
        front.stop();
    }

    /** One buyer: order, pay, remember; a request the killed front did not answer is tried again. */
    private void buy(long productId, AtomicInteger placed, ConcurrentLinkedQueue<JsonNode> paid) {
        while (placed.get() < ORDERS) {
            String key = UUID.randomUUID().toString();
            JsonNode order = null;
            while (order == null) {
                try {
                    Http.Response response = front.http().postJson("/api/orders", Map.of("productId", productId,
                            "quantity", 1, "email", "buyer@example.com", "channel", "sandbox"),
                            Map.of("Idempotency-Key", key));
                    if (response.status() == 201 || response.status() == 200) {
                        order = response.json();
                    } else {
                        pause();
                    }
                } catch (RuntimeException frontDown) {
                    pause();
                }
            }
            placed.incrementAndGet();
            String payPath = "/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay";
            // Until a definite answer: a pay request that died with the process may have been taken, and giving
            // up on it would leave a paid order this test does not know about.
            Instant giveUpAt = Instant.now().plus(Duration.ofMinutes(3));
            boolean answered = false;
            while (!answered && Instant.now().isBefore(giveUpAt)) {
                try {
                    int status = front.http().post(payPath, "", "application/json", Map.of()).status();
                    if (status == 200) {
                        paid.add(order);
                        answered = true;
                        continue;
                    }
                    if (status == 409) {
                        // Paid already, by an attempt whose answer was lost with the killed process: the payer
                        // has paid, so Kami owes the keys (its notify may still be on its way).
                        paid.add(order);
                        answered = true;
                        continue;
                    }
                } catch (RuntimeException frontDown) {
                    // Try again once the front is back.
                }
                pause();
            }
            if (!answered) {
                unanswered.incrementAndGet();
            }
        }
    }

    private String killAndRestart(int which) throws Exception {
        if (which == 2) {
            KamiProcess killed = front;
            killed.killHard();
            front = startFront();
            return "front";
        }
        workers[which].killHard();
        workers[which] = startWorker(which);
        return "worker-" + which;
    }

    private KamiProcess startFront() throws Exception {
        return KamiProcess.startOnPort(frontPort, frontData, databasePort, logs.resolve("front.log"),
                "--kami.roles=api,notify,console", "--kami.delivery.sweep-interval=1h");
    }

    private KamiProcess startWorker(int index) throws Exception {
        return KamiProcess.start(Files.createTempDirectory("kami-faults-worker-"), KamiProcess.freePort(),
                logs.resolve("worker-" + index + ".log"), "--kami.roles=worker", "--kami.delivery.sweep-interval=1h",
                "--kami.messaging.relay.poll-interval=200ms", "--kami.messaging.poll-interval=200ms",
                // The sandbox PSP's retries run on workers; like a real PSP they call the notify role's address.
                "--kami.channels.sandbox.notify-url=http://127.0.0.1:" + frontPort + "/api/notify/sandbox",
                "--kami.datasource.url=jdbc:postgresql://localhost:" + databasePort + "/postgres");
    }

    private JsonNode awaitDelivered(Http http, JsonNode order, Instant deadline) throws InterruptedException {
        while (true) {
            JsonNode current = http.get("/api/orders/" + order.get("orderNo").asString(), Map.of("X-Order-Token",
                    order.get("lookupToken").asString())).json();
            if ("DELIVERED".equals(current.get("status").asString())) {
                return current;
            }
            assertThat(Instant.now()).as("order " + order.get("orderNo").asString() + " still "
                    + current.get("status").asString()).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitEmpty(String table) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (count("select count(*) from " + table) > 0) {
            assertThat(Instant.now()).as(table + " still holds rows").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort
                + "/postgres", "postgres", ""); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
