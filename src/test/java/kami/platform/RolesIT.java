package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Roles over two processes sharing one database: an {@code api,notify,console} process with the embedded
 * PostgreSQL, and a {@code worker} process pointed at it. Requests go to the processes of their roles only, and
 * background work (the expiry of an unpaid order, the delivery of a paid one through the message relay) happens
 * only once a worker runs; the front's commits wake the worker's relay at once.
 */
class RolesIT {

    @Test
    void requestsAndBackgroundWorkGoToTheProcessesOfTheirRoles() throws Exception {
        Path dataDir = Files.createTempDirectory("kami-roles-");
        int databasePort = KamiProcess.freePort();
        Path logs = Path.of("target", "roles-it");
        String[] fast = {"--kami.orders.payment-timeout=2s", "--kami.orders.expiry-sweep-interval=200ms"};
        KamiProcess front = KamiProcess.start(dataDir, databasePort, logs.resolve("front.log"),
                concat(fast, "--kami.roles=api,notify,console"));
        KamiProcess worker = null;
        try {
            Http http = front.http();
            long productId = http.adminPost("/api/admin/products", Http.toJson(Map.of("name", "Roles",
                    "description", "", "priceMinor", 100, "currency", "CNY")), "application/json").json()
                    .get("id").asLong();
            http.adminPost("/api/admin/products/" + productId + "/keys", "ROLES-KEY-1\nROLES-KEY-2\nROLES-KEY-3", "text/plain");
            JsonNode order = placeOrder(http, productId);
            String orderNo = order.get("orderNo").asString();
            JsonNode paid = placeOrder(http, productId);
            assertThat(http.post("/sandbox/api/payments/" + paid.at("/payment/paymentNo").asString() + "/pay", "",
                    "application/json", Map.of()).status()).isEqualTo(200);

            Thread.sleep(3_000);
            assertThat(status(http, order)).as("past its deadline, but no worker runs").isEqualTo("PENDING_PAYMENT");
            assertThat(status(http, paid)).as("paid, but no worker consumes OrderPaid").isEqualTo("PAID");

            worker = KamiProcess.start(Files.createTempDirectory("kami-roles-worker-"), KamiProcess.freePort(),
                    logs.resolve("worker.log"), concat(fast, "--kami.roles=worker",
                            // Neither the relay's poll nor the delivery sweeper can deliver what follows.
                            "--kami.messaging.relay.poll-interval=1h", "--kami.delivery.sweep-interval=1h",
                            "--kami.datasource.url=jdbc:postgresql://localhost:" + databasePort + "/postgres"));
            Http.Response buyerAtWorker = worker.http().get("/api/products");
            assertThat(buyerAtWorker.status()).isEqualTo(404);
            assertThat(buyerAtWorker.code()).isEqualTo("NOT_SERVED_BY_THIS_PROCESS");
            assertThat(worker.http().adminGet("/api/admin/orders?status=PAID").code())
                    .isEqualTo("NOT_SERVED_BY_THIS_PROCESS");
            assertThat(worker.http().get("/actuator/health/readiness").status()).isEqualTo(200);

            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!"EXPIRED".equals(status(http, order)) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(status(http, order)).as("expired by the worker").isEqualTo("EXPIRED");
            while (!"DELIVERED".equals(status(http, paid)) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(status(http, paid)).as("delivered by the worker's consumer").isEqualTo("DELIVERED");

            // Paid at the front while the worker runs: the front's commit wakes the worker's relay (NOTIFY).
            JsonNode paidLater = placeOrder(http, productId);
            assertThat(http.post("/sandbox/api/payments/" + paidLater.at("/payment/paymentNo").asString() + "/pay",
                    "", "application/json", Map.of()).status()).isEqualTo(200);
            Instant wokenBy = Instant.now().plus(Duration.ofSeconds(20));
            while (!"DELIVERED".equals(status(http, paidLater)) && Instant.now().isBefore(wokenBy)) {
                Thread.sleep(100);
            }
            assertThat(status(http, paidLater)).as("delivered without waiting for the relay's hourly poll")
                    .isEqualTo("DELIVERED");
            JsonNode stock = http.adminGet("/api/admin/products/" + productId + "/stock").json();
            assertThat(stock.get("available").asLong()).as(orderNo + "'s key back on sale").isEqualTo(1);
            assertThat(stock.get("sold").asLong()).isEqualTo(2);
        } finally {
            if (worker != null) {
                worker.stop();
            }
            front.stop();
        }
    }

    private static JsonNode placeOrder(Http http, long productId) {
        return http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1, "email",
                "buyer@example.com", "channel", "sandbox"), Map.of("Idempotency-Key", UUID.randomUUID().toString()))
                .json();
    }

    private static String status(Http http, JsonNode order) {
        return http.get("/api/orders/" + order.get("orderNo").asString(), Map.of("X-Order-Token",
                order.get("lookupToken").asString())).json().get("status").asString();
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
