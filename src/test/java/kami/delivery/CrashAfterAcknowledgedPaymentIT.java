package kami.delivery;

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
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiProcess;
import kami.support.OrderLookups;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The process dies after the payment notify was acknowledged but before the keys were delivered. After a
 * restart on the same data directory (with the killed JVM's PostgreSQL still running) the key is delivered by
 * the outbox, exactly once. The delivery sweeper is switched off so only the outbox can deliver.
 */
class CrashAfterAcknowledgedPaymentIT {

    @Test
    void aPaymentAcknowledgedBeforeACrashIsDeliveredAfterRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("kami-crash-");
        int databasePort = KamiProcess.freePort();
        Path log = Path.of("target", "crash-it", "kami.log");
        KamiProcess first = KamiProcess.start(dataDir, databasePort, log, "--kami.delivery.sweep-interval=1h");
        Http http = first.http();
        long productId = http.adminPost("/api/admin/products", Http.toJson(Map.of("name", "Crash", "description",
                "", "priceMinor", 100, "currency", "CNY")), "application/json").json().get("id").asLong();
        http.adminPost("/api/admin/products/" + productId + "/keys", "CRASH-KEY-1\nCRASH-KEY-2", "text/plain");
        JsonNode order = http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1, "email",
                "buyer@example.com", "channel", "sandbox"), Map.of("Idempotency-Key", UUID.randomUUID().toString()))
                .json();
        String orderNo = order.get("orderNo").asString();

        try (Connection blocker = connect(databasePort)) {
            // Hold the order's key rows so delivery blocks mid-transaction, then kill the process there.
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("select id from vault_key where order_no = '" + orderNo + "' for update");
            }
            Http.Response reply = SandboxNotifies.send(http, SandboxNotifies.successFor(order, Instant.now()));
            assertThat(reply.body()).isEqualTo("success");
            awaitBlockedDelivery(databasePort);
            first.killHard();
            blocker.rollback();
        }
        assertThat(queryString(databasePort, "select status from customer_order where order_no = '" + orderNo + "'"))
                .as("the delivery transaction died with the process").isEqualTo("PAID");

        KamiProcess second = KamiProcess.start(dataDir, databasePort, log, "--kami.delivery.sweep-interval=1h");
        try {
            JsonNode delivered = OrderLookups.awaitDelivered(second.http(), order,
                    Instant.now().plus(Duration.ofSeconds(60)));
            assertThat(delivered.get("keys").size()).isEqualTo(1);
            JsonNode stock = second.http().adminGet("/api/admin/products/" + productId + "/stock").json();
            assertThat(stock.get("sold").asLong()).isEqualTo(1);
            assertThat(stock.get("available").asLong()).isEqualTo(1);
            assertThat(stock.get("reserved").asLong()).isZero();
            assertThat(second.log()).contains("still holds");
        } finally {
            second.stop();
        }
    }

    private static void awaitBlockedDelivery(int databasePort) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!"0".equals(queryString(databasePort,
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("delivery never reached the locked keys");
    }

    private static String queryString(int databasePort, String sql) throws SQLException {
        try (Connection connection = connect(databasePort); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static Connection connect(int databasePort) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres", "postgres",
                "");
    }
}
