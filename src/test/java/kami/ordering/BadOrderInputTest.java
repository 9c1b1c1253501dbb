package kami.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad request gets a problem response with a stable code, and changes nothing. */
class BadOrderInputTest extends KamiIntegrationTest {

    private long productId;

    @BeforeEach
    void product() {
        productId = productWithKeys(2, 100);
    }

    @Test
    void unknownProductIs404() {
        assertRejected(order(Map.of("productId", 999_999_999L)), 404, "PRODUCT_NOT_FOUND");
    }

    @Test
    void quantityOutsideOneToHundredIs400() {
        assertRejected(order(Map.of("quantity", 0)), 400, "INVALID_QUANTITY");
        assertRejected(order(Map.of("quantity", 101)), 400, "INVALID_QUANTITY");
    }

    @Test
    void badEmailIs400() {
        assertRejected(order(Map.of("email", "not-an-email")), 400, "INVALID_EMAIL");
    }

    @Test
    void unknownChannelIs400() {
        assertRejected(order(Map.of("channel", "carrier-pigeon")), 400, "UNKNOWN_CHANNEL");
    }

    @Test
    void malformedJsonIs400() {
        assertRejected(http.post("/api/orders", "{\"productId\": 1,", "application/json",
                Map.of("Idempotency-Key", UUID.randomUUID().toString())), 400, "MALFORMED_JSON");
    }

    @Test
    void missingIdempotencyKeyIs400() {
        assertRejected(http.postJson("/api/orders", body(Map.of()), Map.of()), 400, "IDEMPOTENCY_KEY_REQUIRED");
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        String padded = "{\"productId\": " + productId + ", \"pad\": \"" + "x".repeat(1_100_000) + "\"}";
        assertRejected(http.post("/api/orders", padded, "application/json",
                Map.of("Idempotency-Key", UUID.randomUUID().toString())), 413, "PAYLOAD_TOO_LARGE");
    }

    private Http.Response order(Map<String, Object> overrides) {
        return http.postJson("/api/orders", body(overrides), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private Map<String, Object> body(Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>(Map.of("productId", productId, "quantity", 1,
                "email", "buyer@example.com", "channel", "sandbox"));
        body.putAll(overrides);
        return body;
    }

    private void assertRejected(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
        assertThat(stock(productId).get("available").asLong()).as("nothing reserved").isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from customer_order where product_id = :p").param("p", productId)
                .query(Long.class).single()).as("no order stored").isZero();
    }
}
