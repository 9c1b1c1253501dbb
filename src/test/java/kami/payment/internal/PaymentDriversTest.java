package kami.payment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A payment whose notifies never arrive is still found: by the scheduled query, or at once when a forged notify
 * names it. Unpaid payments are asked again on the schedule, never treated as failed.
 */
class PaymentDriversTest extends KamiIntegrationTest {

    @Autowired
    private PaymentQueries queries;

    @AfterEach
    void notifiesFlowAgain() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(0.0));
    }

    @Test
    void theScheduledQueryFindsAPaymentWhoseNotifiesAreLost() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(1.0));
        JsonNode order = placeOrder(productWithKeys(1, 500), 1);
        payInSandbox(order);

        clock.advance(Duration.ofSeconds(9));
        queries.queryDue();
        assertThat(paymentStatus(order)).as("not due before 10 s").isEqualTo("PENDING");

        clock.advance(Duration.ofSeconds(1));
        queries.queryDue();

        assertThat(paymentStatus(order)).isEqualTo("SUCCEEDED");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        assertThat(keysOf(lookup(order))).hasSize(1);
    }

    @Test
    void anUnpaidPaymentIsAskedAgainOnTheSchedule() {
        JsonNode order = placeOrder(productWithKeys(1, 500), 1);

        clock.advance(Duration.ofSeconds(10));
        queries.queryDue();

        Map<String, Object> row = jdbc.sql("""
                select status, query_attempts, last_query_result, extract(epoch from next_query_at) as next
                from payment where order_no = :no""").param("no", order.get("orderNo").asString())
                .query().singleRow();
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("query_attempts")).isEqualTo(1);
        assertThat(row.get("last_query_result")).isEqualTo("PENDING");
        assertThat(((Number) row.get("next")).longValue())
                .as("the second query comes 30 s after the first").isEqualTo(clock.instant().plusSeconds(30)
                        .getEpochSecond());
    }

    @Test
    void aForgedNotifyChangesNothingButMakesTheGatewayAskTheChannelAtOnce() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(1.0));
        JsonNode order = placeOrder(productWithKeys(1, 500), 1);
        payInSandbox(order);

        Map<String, Object> notify = SandboxNotifies.successFor(order, clock.instant());
        Http.Response forged = SandboxNotifies.send(http, Http.toJson(notify), "not-the-secret");

        assertThat(forged.status()).isEqualTo(401);
        assertThat(paymentStatus(order)).isEqualTo("PENDING");
        queries.queryDue();
        assertThat(paymentStatus(order)).as("queried without waiting for the schedule").isEqualTo("SUCCEEDED");
    }

    private void payInSandbox(JsonNode order) {
        Http.Response paid = http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString()
                + "/pay", "", "application/json", Map.of());
        assertThat(paid.status()).isEqualTo(200);
    }

    private String paymentStatus(JsonNode order) {
        return jdbc.sql("select status from payment where order_no = :no").param("no", order.get("orderNo")
                .asString()).query(String.class).single();
    }

    static Map<String, Object> faults(double dropRate) {
        return Map.of("notifyDelayMillis", 0, "duplicateNotifies", 0, "dropRate", dropRate);
    }
}
