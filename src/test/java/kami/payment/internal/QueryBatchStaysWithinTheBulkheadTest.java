package kami.payment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kami.payment.channel.epay.EpaySimulator;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A batch of due status queries for one slow account is never refused by that account's own bulkhead: the sweep
 * keeps fewer queries in flight than the bulkhead holds, and an unanswered query leaves its payment pending, to
 * be asked again.
 */
class QueryBatchStaysWithinTheBulkheadTest extends KamiIntegrationTest {

    /** More than the bulkhead (32) holds, less than one batch (50). */
    private static final int PAYMENTS = 40;

    @Autowired
    private PaymentQueries queries;

    @Autowired
    private MeterRegistry meters;

    private EpaySimulator provider;
    private String account;

    @BeforeEach
    void slowAccount() {
        provider = EpaySimulator.start();
        account = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response saved = http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "epay",
                "settings", Map.of("gatewayUrl", provider.baseUrl(), "pid", provider.pid(), "key", provider.key())));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    @AfterEach
    void stopProvider() {
        http.adminPost("/api/admin/channels/" + account + "/disable", "", "application/json");
        provider.close();
    }

    @Test
    void aBatchOfDueQueriesIsNeverRefusedByItsOwnBulkhead() {
        long productId = productWithKeys(PAYMENTS, 100);
        List<String> orderNos = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            Http.Response placed = http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1,
                    "email", "buyer@example.com", "channel", account), Map.of("Idempotency-Key",
                    UUID.randomUUID().toString()));
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            orderNos.add(placed.json().get("orderNo").asString());
        }
        provider.respondSlowly(Duration.ofSeconds(3));

        clock.advance(Duration.ofSeconds(10));
        queries.queryDue();

        Timer refused = meters.find("kami.channel.calls").tags("channel", account, "outcome", "bulkhead_full")
                .timer();
        assertThat(refused == null ? 0 : refused.count()).as("queries refused by the bulkhead").isZero();
        List<Map<String, Object>> rows = jdbc.sql("""
                select status, query_attempts, last_query_result from payment where order_no in (:nos)""")
                .param("nos", orderNos).query().listOfRows();
        assertThat(rows).hasSize(PAYMENTS).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("PENDING");
            assertThat(row.get("query_attempts")).isEqualTo(1);
            assertThat((String) row.get("last_query_result")).startsWith("UNKNOWN");
        });
    }
}
