package kami.storefront;

import static org.assertj.core.api.Assertions.assertThat;

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
}
