package kami.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reservations start scanning after the keys this instance reserved last. A key that becomes available below
 * that point without this instance knowing (another instance released it) must still be sold, and the shop is
 * out of stock only when no key at all is left.
 */
class KeysBehindTheScanStartTest extends KamiIntegrationTest {

    @Test
    void aKeyReleasedElsewhereBelowTheScanStartIsStillSold() {
        long productId = productWithKeys(3, 100);
        JsonNode first = placeOrder(productId, 1);
        placeOrder(productId, 2);
        List<Long> firstKeys = keyIdsOf(first.get("orderNo").asString());

        // What another instance's expiry sweep does: the order expires and its key goes back on sale.
        jdbc.sql("update customer_order set status = 'EXPIRED' where order_no = :no")
                .param("no", first.get("orderNo").asString()).update();
        jdbc.sql("""
                update vault_key set status = 'AVAILABLE', order_no = null, reserved_at = null
                where order_no = :no""").param("no", first.get("orderNo").asString()).update();

        JsonNode again = placeOrder(productId, 1);

        assertThat(keyIdsOf(again.get("orderNo").asString())).isEqualTo(firstKeys);
        assertThat(placeOrder(productId, 1, UUID.randomUUID().toString()).status()).isEqualTo(409);
        JsonNode stock = stock(productId);
        assertThat(stock.get("available").asLong()).isZero();
        assertThat(stock.get("reserved").asLong()).isEqualTo(3);
    }

    @Test
    void anOrderForMoreKeysThanAreLeftAboveTheScanStartTakesKeysFromBelowIt() {
        long productId = productWithKeys(4, 100);
        JsonNode first = placeOrder(productId, 1);
        placeOrder(productId, 2);
        jdbc.sql("update customer_order set status = 'EXPIRED' where order_no = :no")
                .param("no", first.get("orderNo").asString()).update();
        jdbc.sql("""
                update vault_key set status = 'AVAILABLE', order_no = null, reserved_at = null
                where order_no = :no""").param("no", first.get("orderNo").asString()).update();

        JsonNode both = placeOrder(productId, 2);

        assertThat(keyIdsOf(both.get("orderNo").asString())).hasSize(2);
        assertThat(stock(productId).get("available").asLong()).isZero();
    }

    private List<Long> keyIdsOf(String orderNo) {
        return jdbc.sql("select id from vault_key where order_no = :no order by id").param("no", orderNo)
                .query(Long.class).list();
    }
}
