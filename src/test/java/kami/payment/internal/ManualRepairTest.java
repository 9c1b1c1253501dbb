package kami.payment.internal;

import static kami.payment.internal.PaymentDriversTest.faults;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Manual repair (补单) applies what the channel confirms, never more, and every repair leaves an audit record. */
class ManualRepairTest extends KamiIntegrationTest {

    @AfterEach
    void notifiesFlowAgain() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(0.0));
    }

    @Test
    void aRepairRecordsAPaymentTheChannelConfirms() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(1.0));
        JsonNode order = placeOrder(productWithKeys(1, 800), 1);
        String paymentNo = order.at("/payment/paymentNo").asString();
        http.post("/sandbox/api/payments/" + paymentNo + "/pay", "", "application/json", Map.of());

        Http.Response repaired = repair(paymentNo, "alice");

        assertThat(repaired.status()).as(repaired.body()).isEqualTo(200);
        assertThat(repaired.json().get("statusBefore").asString()).isEqualTo("PENDING");
        assertThat(repaired.json().get("statusAfter").asString()).isEqualTo("SUCCEEDED");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        JsonNode audit = http.adminGet("/api/admin/payments/" + paymentNo + "/repairs").json();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("operator").asString()).isEqualTo("alice");
        assertThat(audit.get(0).get("channelAnswer").asString()).startsWith("PAID");
    }

    @Test
    void aRepairCannotInventASuccessTheChannelDoesNotConfirm() {
        JsonNode order = placeOrder(productWithKeys(1, 800), 1);
        String paymentNo = order.at("/payment/paymentNo").asString();

        Http.Response repaired = repair(paymentNo, "bob");

        assertThat(repaired.json().get("statusAfter").asString()).isEqualTo("PENDING");
        assertThat(repaired.json().get("channelAnswer").asString()).isEqualTo("PENDING");
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");
        assertThat(http.adminGet("/api/admin/payments/" + paymentNo + "/repairs").json()).hasSize(1);
    }

    @Test
    void repairingAnUnknownPaymentIs404() {
        Http.Response repaired = repair("P-NOPE", "carol");

        assertThat(repaired.status()).isEqualTo(404);
        assertThat(repaired.code()).isEqualTo("PAYMENT_NOT_FOUND");
    }

    private Http.Response repair(String paymentNo, String operator) {
        return http.post("/api/admin/payments/" + paymentNo + "/repair", "", "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN, "X-Operator", operator));
    }
}
