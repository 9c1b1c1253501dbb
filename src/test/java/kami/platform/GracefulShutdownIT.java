package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import kami.support.Http;
import kami.support.KamiProcess;
import kami.support.OrderLookups;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SIGTERM while buyers order and pay: the process stops taking requests, finishes or releases what it was doing,
 * and after a restart on the same data directory every order whose payment was accepted is delivered, once.
 */
class GracefulShutdownIT {

    static final int BUYERS = 8;

    @Test
    void nothingAcceptedBeforeASigtermIsLostOrDoneTwice() throws Exception {
        Path dataDir = Files.createTempDirectory("kami-sigterm-");
        int databasePort = KamiProcess.freePort();
        Path log = Path.of("target", "sigterm-it", "kami.log");
        KamiProcess first = KamiProcess.start(dataDir, databasePort, log);
        Http http = first.http();
        long productId = http.adminPost("/api/admin/products", Http.toJson(Map.of("name", "Shutdown",
                "description", "", "priceMinor", 100, "currency", "CNY")), "application/json").json().get("id")
                .asLong();
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            keys.append("SIGTERM-KEY-").append(i).append('\n');
        }
        http.adminPost("/api/admin/products/" + productId + "/keys", keys.toString(), "text/plain");

        ConcurrentLinkedQueue<JsonNode> paid = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Integer> stopped = new ArrayList<>();
        try (ExecutorService buyers = Executors.newFixedThreadPool(BUYERS)) {
            for (int b = 0; b < BUYERS; b++) {
                buyers.submit(() -> {
                    while (running.get()) {
                        try {
                            Http.Response placed = http.postJson("/api/orders", Map.of("productId", productId,
                                    "quantity", 1, "email", "buyer@example.com", "channel", "sandbox"),
                                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                            if (placed.status() != 201) {
                                continue;
                            }
                            JsonNode order = placed.json();
                            Http.Response pay = http.post("/sandbox/api/payments/"
                                    + order.at("/payment/paymentNo").asString() + "/pay", "", "application/json",
                                    Map.of());
                            if (pay.status() == 200) {
                                paid.add(order);
                            }
                        } catch (RuntimeException connectionGone) {
                            return;
                        }
                    }
                });
            }
            Thread.sleep(4_000);
            stopped.add(paid.size());
            first.stop();
            running.set(false);
        }
        assertThat(stopped.getFirst()).as("payments accepted before the SIGTERM").isPositive();
        assertThat(first.log()).as("the web server drained its requests before the context closed")
                .contains("Graceful shutdown complete");

        KamiProcess second = KamiProcess.start(dataDir, databasePort, log);
        try {
            Http after = second.http();
            Set<String> soldKeys = new HashSet<>();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            for (JsonNode order : paid) {
                JsonNode current = OrderLookups.awaitDelivered(after, order, deadline);
                assertThat(current.get("keys")).hasSize(1);
                assertThat(soldKeys.add(current.get("keys").get(0).asString())).as("a key sold twice").isTrue();
            }
            JsonNode stock = after.adminGet("/api/admin/products/" + productId + "/stock").json();
            assertThat(stock.get("sold").asLong()).as("sold = delivered").isEqualTo(soldKeys.size());
            assertThat(stock.get("available").asLong() + stock.get("reserved").asLong() + stock.get("sold").asLong())
                    .isEqualTo(2_000);
            assertThat(after.adminPost("/api/admin/ledger/reconciliation", "", "application/json").json()
                    .get("ok").asBoolean()).isTrue();
            System.out.printf("Graceful shutdown: %d payments accepted before SIGTERM, all %d delivered once%n",
                    paid.size(), soldKeys.size());
        } finally {
            second.stop();
        }
    }
}
