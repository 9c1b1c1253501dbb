package kami.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the integration tests: the whole application on an embedded PostgreSQL with its own data directory,
 * reached over real HTTP. All subclasses share one application context. Background sweeps are slowed down so
 * that tests drive them explicitly; the clock can be moved.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kami.admin.token=" + Http.ADMIN_TOKEN,
        "kami.demo.enabled=false",
        "kami.orders.expiry-sweep-interval=1h",
        "kami.delivery.sweep-interval=1h",
        "kami.channels.sandbox.retry-interval=200ms",
        "kami.payments.query-poll-interval=1h",
        "kami.payments.stuck-sweep-interval=1h",
        "kami.channels.guard.call-timeout=1s",
        "kami.channels.guard.open-for=1s",
        "kami.webhooks.poll-interval=1h",
        "kami.ledger.hold-sweep-interval=1h",
        "kami.ledger.reconciliation-interval=1h",
        "kami.settlement.sweep-interval=1h",
        "kami.settlement.fee-basis-points=250",
        "kami.wallet.top-up-sweep-interval=1h",
        "kami.messaging.retry.initial-interval=20ms",
        "kami.messaging.retry.max-interval=200ms",
        "kami.messaging.metrics-interval=1h",
        // Batches in the shared context (the processes of the fault suite and crash tests run the default, 1).
        "kami.messaging.batch-size=8"})
@Import(KamiIntegrationTest.TestClock.class)
public abstract class KamiIntegrationTest {

    private static final Path DATA_DIR = createDataDir();

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected JdbcClient jdbc;

    protected Http http;

    /**
     * One data directory per messaging transport: the few tests that run on RabbitMQ get a second context, and
     * it must not share (and stop) the first context's embedded PostgreSQL.
     */
    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("kami.data-dir", () -> DATA_DIR + "/${kami.messaging.transport:embedded}");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    @BeforeEach
    void setUpHttp() {
        http = new Http(port);
        clock.reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Creates a product with the given number of fresh keys and returns its id. */
    protected long productWithKeys(int keys, long priceMinor) {
        Http.Response created = http.adminPost("/api/admin/products", Http.toJson(Map.of("name", "Product "
                + UUID.randomUUID(), "description", "test", "priceMinor", priceMinor, "currency", "CNY")),
                "application/json");
        if (created.status() != 201) {
            throw new AssertionError("product not created: " + created.body());
        }
        long productId = created.json().get("id").asLong();
        if (keys > 0) {
            Http.Response imported = http.adminPost("/api/admin/products/" + productId + "/keys",
                    uniqueKeys(keys), "text/plain");
            if (imported.status() != 200 || imported.json().get("imported").asInt() != keys) {
                throw new AssertionError("keys not imported: " + imported.body());
            }
        }
        return productId;
    }

    protected static String uniqueKeys(int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return IntStream.range(0, count).mapToObj(i -> "KEY-" + run + "-" + i).collect(Collectors.joining("\n"));
    }

    protected Http.Response placeOrder(long productId, int quantity, String idempotencyKey) {
        return http.postJson("/api/orders", Map.of("productId", productId, "quantity", quantity, "email",
                "buyer@example.com", "channel", "sandbox"), Map.of("Idempotency-Key", idempotencyKey));
    }

    protected JsonNode placeOrder(long productId, int quantity) {
        Http.Response response = placeOrder(productId, quantity, UUID.randomUUID().toString());
        if (response.status() != 201) {
            throw new AssertionError("order not placed: " + response.status() + " " + response.body());
        }
        return response.json();
    }

    protected JsonNode lookup(JsonNode placed) {
        Http.Response response = http.get("/api/orders/" + placed.get("orderNo").asString(),
                Map.of("X-Order-Token", placed.get("lookupToken").asString()));
        if (response.status() != 200) {
            throw new AssertionError("lookup failed: " + response.status() + " " + response.body());
        }
        return response.json();
    }

    protected JsonNode stock(long productId) {
        return http.adminGet("/api/admin/products/" + productId + "/stock").json();
    }

    protected String orderStatus(String orderNo) {
        return jdbc.sql("select status from customer_order where order_no = :no").param("no", orderNo)
                .query(String.class).single();
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    protected List<String> keysOf(JsonNode order) {
        return order.path("keys").valueStream().map(JsonNode::asString).toList();
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("kami-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
