package kami.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import kami.support.Concurrently;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.RepeatedTest;
import tools.jackson.databind.JsonNode;

/** 32 buyers at once on a product with fewer keys: every key goes to exactly one order, the rest get 409. */
class ConcurrentBuyersTest extends KamiIntegrationTest {

    private static final int BUYERS = 32;
    private static final int KEYS = 20;

    @RepeatedTest(3)
    void concurrentBuyersNeverShareAKeyAndNeverOversell() throws Exception {
        long productId = productWithKeys(KEYS, 100);
        List<Http.Response> responses = Concurrently.startTogether(BUYERS,
                () -> placeOrder(productId, 1, UUID.randomUUID().toString()));
        List<JsonNode> placed = new ArrayList<>();
        int outOfStock = 0;
        for (Http.Response response : responses) {
            if (response.status() == 201) {
                placed.add(response.json());
            } else {
                assertThat(response.status()).as(response.body()).isEqualTo(409);
                assertThat(response.code()).isEqualTo("OUT_OF_STOCK");
                outOfStock++;
            }
        }

        assertThat(placed).hasSize(KEYS);
        assertThat(outOfStock).isEqualTo(BUYERS - KEYS);
        JsonNode stock = stock(productId);
        assertThat(stock.get("reserved").asLong()).isEqualTo(KEYS);
        assertThat(stock.get("available").asLong() + stock.get("reserved").asLong() + stock.get("sold").asLong())
                .isEqualTo(KEYS);
        List<String> orderNos = placed.stream().map(o -> o.get("orderNo").asString()).toList();
        List<String> owners = jdbc.sql("select order_no from vault_key where product_id = :p and order_no is not null")
                .param("p", productId).query(String.class).list();
        assertThat(owners).as("each reserved key belongs to one of the placed orders, one key each")
                .containsExactlyInAnyOrderElementsOf(orderNos);
    }
}
