package kami.settlement;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import kami.catalog.Catalog;
import kami.ledger.Ledger;
import kami.ledger.ReconciliationReport;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settlement tests: each uses its own merchant, as the database is shared by all tests. The test settings take
 * a 2.5 % platform fee (250 basis points) and the default one-day settlement delay; tests move the clock past it.
 */
abstract class SettlementIntegrationTest extends KamiIntegrationTest {

    static final Duration PAST_SETTLEMENT_DELAY = Duration.ofDays(1).plusMinutes(1);

    @Autowired
    protected Catalog catalog;

    @Autowired
    protected Ledger ledger;

    @AfterEach
    void ledgerStaysBalanced() {
        ReconciliationReport report = ledger.reconcile();
        assertThat(report.violations()).as("ledger reconciliation").isEmpty();
    }

    protected long newMerchant() {
        return catalog.merchantNamed("Merchant " + UUID.randomUUID());
    }

    protected long productOf(long merchantId, long priceMinor, int keys) {
        Http.Response created = http.adminPost("/api/admin/products", Http.toJson(Map.of("merchantId", merchantId,
                "name", "Product " + UUID.randomUUID(), "description", "", "priceMinor", priceMinor,
                "currency", "CNY")), "application/json");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long productId = created.json().get("id").asLong();
        assertThat(http.adminPost("/api/admin/products/" + productId + "/keys", uniqueKeys(keys), "text/plain")
                .status()).isEqualTo(200);
        return productId;
    }

    /** Places an order and pays it in the sandbox; returns it once delivered. */
    protected JsonNode paidOrder(long productId) {
        JsonNode order = placeOrder(productId, 1);
        http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay", "",
                "application/json", Map.of());
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        return order;
    }

    protected String refund(String orderNo, Long amountMinor) {
        Map<String, Object> body = new HashMap<>();
        body.put("requestNo", "req-" + UUID.randomUUID());
        body.put("reason", "test");
        if (amountMinor != null) {
            body.put("amountMinor", amountMinor);
        }
        Http.Response requested = http.adminPost("/api/admin/orders/" + orderNo + "/refunds", Http.toJson(body),
                "application/json");
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        String refundNo = requested.json().get("refundNo").asString();
        await("refund " + refundNo, Duration.ofSeconds(10), () -> "SUCCEEDED".equals(
                http.adminGet("/api/admin/refunds/" + refundNo).json().get("status").asString()));
        return refundNo;
    }

    /** The merchant's CNY balance as the admin API reports it. */
    protected JsonNode balance(long merchantId) {
        Http.Response response = http.adminGet("/api/admin/merchants/" + merchantId + "/balance");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode currency : response.json().get("balances")) {
            if (currency.get("currency").asString().equals("CNY")) {
                return currency;
            }
        }
        throw new AssertionError("no CNY balance: " + response.body());
    }

    protected int settleNow() {
        Http.Response run = http.adminPost("/api/admin/settlement/run", "", "application/json");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        return run.json().get("settledPayments").asInt();
    }

    protected Http.Response requestPayout(long merchantId, long amountMinor, String key) {
        return http.post("/api/admin/merchants/" + merchantId + "/payouts", Http.toJson(Map.of("currency", "CNY",
                "amountMinor", amountMinor, "destination", "bank account 6222 0000 1111")), "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN, "Idempotency-Key", key));
    }
}
