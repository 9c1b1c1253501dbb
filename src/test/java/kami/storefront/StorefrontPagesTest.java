package kami.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The pages answer buyers' mistakes with pages, and never show an order to someone without its token. */
class StorefrontPagesTest extends KamiIntegrationTest {

    @Test
    void theProductListShowsPriceAndStock() {
        long productId = productWithKeys(2, 1999);

        Http.Response page = http.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("data-product-id=\"" + productId + "\"").contains("19.99 CNY")
                .contains("2 in stock");
    }

    @Test
    void anOrderPageWithAWrongTokenIsANotFoundPageWithoutOrderDetails() {
        JsonNode order = placeOrder(productWithKeys(1, 1999), 1);

        Http.Response page = http.get("/orders/" + order.get("orderNo").asString() + "?token=wrong");

        assertThat(page.status()).isEqualTo(404);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("Not found").doesNotContain("19.99").doesNotContain("PENDING_PAYMENT");
    }

    @Test
    void anUnknownProductPageIsANotFoundPage() {
        Http.Response page = http.get("/products/987654321");

        assertThat(page.status()).isEqualTo(404);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("No product with id 987654321");
    }

    @Test
    void theOrderPageShowsTheOrderToItsTokenHolder() {
        JsonNode order = placeOrder(productWithKeys(1, 1999), 1);

        Http.Response page = http.get("/orders/" + order.get("orderNo").asString() + "?token="
                + order.get("lookupToken").asString());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("PENDING_PAYMENT").contains("19.99 CNY");
    }

    @Test
    void theOrderFormOffersEveryUsableWayToPayAndOrdersWithTheChosenOne() {
        String account = "epay-" + UUID.randomUUID().toString().substring(0, 8);
        http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "epay", "settings", Map.of(
                "gatewayUrl", "http://127.0.0.1:9/", "pid", "1000", "key", "storefront-test-key")));
        try {
            long productId = productWithKeys(1, 500);
            String form = http.get("/products/" + productId).body();
            assertThat(form).contains("value=\"sandbox/sandbox\"").contains("value=\"" + account + "/epay.wxpay\"");

            Http.Response placed = http.post("/products/" + productId + "/order", "quantity=1&email=buyer%40example.com"
                    + "&idempotencyKey=" + UUID.randomUUID() + "&payWith=" + account + "%2Fepay.wxpay",
                    "application/x-www-form-urlencoded", Map.of());

            assertThat(placed.status()).isEqualTo(302);
            assertThat(placed.raw().headers().firstValue("Location").orElseThrow()).contains("/pay/P");
            assertThat(jdbc.sql("select p.channel || ' ' || p.method from payment p join customer_order o "
                    + "on o.order_no = p.order_no where o.product_id = :product").param("product", productId)
                    .query(String.class).single()).isEqualTo(account + " epay.wxpay");
        } finally {
            http.adminPost("/api/admin/channels/" + account + "/disable", "", "application/json");
        }
    }
}
