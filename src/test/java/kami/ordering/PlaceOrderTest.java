package kami.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PlaceOrderTest extends KamiIntegrationTest {

    @Test
    void placingAnOrderReservesItsKeysAndAnswersWithPaymentAndToken() {
        long productId = productWithKeys(5, 1250);

        Http.Response response = placeOrder(productId, 2, UUID.randomUUID().toString());

        assertThat(response.status()).isEqualTo(201);
        JsonNode order = response.json();
        assertThat(order.get("status").asString()).isEqualTo("PENDING_PAYMENT");
        assertThat(order.get("amountMinor").asLong()).isEqualTo(2500);
        assertThat(order.get("currency").asString()).isEqualTo("CNY");
        assertThat(order.get("expiresAt").asString()).isNotBlank();
        assertThat(order.get("lookupToken").asString()).isNotBlank();
        assertThat(order.at("/payment/channel").asString()).isEqualTo("sandbox");
        assertThat(order.at("/payment/paymentNo").asString()).isNotBlank();
        assertThat(order.at("/payment/payUrl").asString()).contains(order.at("/payment/paymentNo").asString());
        assertThat(stock(productId).get("reserved").asLong()).isEqualTo(2);
        assertThat(stock(productId).get("available").asLong()).isEqualTo(3);
        JsonNode looked = lookup(order);
        assertThat(looked.get("status").asString()).isEqualTo("PENDING_PAYMENT");
        assertThat(looked.get("quantity").asInt()).isEqualTo(2);
        assertThat(looked.has("keys")).as("no keys before delivery").isFalse();
    }

    @Test
    void sameIdempotencyKeyAndBodyGivesTheSameAnswerAndOneOrder() {
        long productId = productWithKeys(5, 100);
        String key = UUID.randomUUID().toString();

        Http.Response first = placeOrder(productId, 1, key);
        Http.Response again = placeOrder(productId, 1, key);

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(stock(productId).get("reserved").asLong()).isEqualTo(1);
    }

    @Test
    void aRepeatedRequestGetsTheFirstAnswerEvenOnceTheProductSoldOutAndTakesNothingMore() {
        long productId = productWithKeys(2, 100);
        String key = UUID.randomUUID().toString();
        Instant since = clock.instant().minusSeconds(1);
        Http.Response first = placeOrder(productId, 1, key);
        Http.Response again = placeOrder(productId, 1, key);
        assertThat(placeOrder(productId, 1, UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(stock(productId).get("available").asLong()).as("sold out").isZero();

        Http.Response afterSoldOut = placeOrder(productId, 1, key);

        assertThat(again.json()).isEqualTo(first.json());
        assertThat(afterSoldOut.status()).isEqualTo(201);
        assertThat(afterSoldOut.json()).isEqualTo(first.json());
        assertThat(stock(productId).get("reserved").asLong()).as("two orders, one key each").isEqualTo(2);
        assertThat(jdbc.sql("""
                select count(*) from payment p
                where p.purpose = 'ORDER' and p.created_at >= :since
                  and not exists (select 1 from customer_order o where o.order_no = p.order_no)""")
                .param("since", Timestamp.from(since)).query(Integer.class).single())
                .as("the repeated requests left no payment behind").isZero();
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyIs422() {
        long productId = productWithKeys(5, 100);
        String key = UUID.randomUUID().toString();
        placeOrder(productId, 1, key);

        Http.Response other = placeOrder(productId, 2, key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(stock(productId).get("reserved").asLong()).isEqualTo(1);
    }

    @Test
    void notEnoughStockIs409AndReservesNothing() {
        long productId = productWithKeys(3, 100);

        Http.Response response = placeOrder(productId, 4, UUID.randomUUID().toString());

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("OUT_OF_STOCK");
        assertThat(stock(productId).get("available").asLong()).isEqualTo(3);
        assertThat(stock(productId).get("reserved").asLong()).isZero();
    }

    @Test
    void theLargestOrderTakesAHundredKeysAndTheNextFindsNone() {
        long productId = productWithKeys(101, 100);

        assertThat(placeOrder(productId, 100, UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(placeOrder(productId, 2, UUID.randomUUID().toString()).code()).isEqualTo("OUT_OF_STOCK");
        assertThat(placeOrder(productId, 1, UUID.randomUUID().toString()).status()).isEqualTo(201);

        assertThat(stock(productId).get("reserved").asLong()).isEqualTo(101);
        assertThat(stock(productId).get("available").asLong()).isZero();
    }

    @Test
    void wrongOrMissingTokenLooksLikeAnUnknownOrder() {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);
        String path = "/api/orders/" + order.get("orderNo").asString();

        Http.Response wrong = http.get(path, Map.of("X-Order-Token", "not-the-token"));
        Http.Response missing = http.get(path);
        Http.Response unknown = http.get("/api/orders/K000000UNKNOWN", Map.of("X-Order-Token", "x"));

        assertThat(wrong.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(wrong.code()).isEqualTo(unknown.code()).isEqualTo("ORDER_NOT_FOUND");
    }
}
