package kami.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A key row locked by another transaction (another buyer's reservation in flight) is skipped, not waited on:
 * the order gets another key at once, or 409 when only locked keys are left.
 */
class BuyersSkipLockedKeysTest extends KamiIntegrationTest {

    @Autowired
    private DataSource dataSource;

    @Test
    void anOrderTakesAnUnlockedKeyInsteadOfWaitingForALockedOne() throws Exception {
        long productId = productWithKeys(2, 100);
        try (Connection otherBuyer = dataSource.getConnection()) {
            otherBuyer.setAutoCommit(false);
            long lockedKeyId = lockFirstAvailableKey(otherBuyer, productId);

            Http.Response placed = placeOrder(productId, 1, UUID.randomUUID().toString());
            Http.Response secondKeyWanted = placeOrder(productId, 1, UUID.randomUUID().toString());

            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            assertThat(secondKeyWanted.status()).as("only the locked key is left").isEqualTo(409);
            String reservedFor = jdbc.sql("select order_no from vault_key where id = :id").param("id", lockedKeyId)
                    .query(String.class).optional().orElse(null);
            assertThat(reservedFor).as("the locked key was skipped").isNull();
            otherBuyer.rollback();
        }
        assertThat(placeOrder(productId, 1, UUID.randomUUID().toString()).status())
                .as("the key is for sale again once its lock is gone").isEqualTo(201);
    }

    private static long lockFirstAvailableKey(Connection connection, long productId) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select id from vault_key where product_id = " + productId
                        + " and status = 'AVAILABLE' order by id limit 1 for update")) {
            row.next();
            return row.getLong(1);
        }
    }
}
