package kami.payment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Operators see per channel what the gateway does: payments created and paid, notifies refused, calls made. */
class PaymentMetricsTest extends KamiIntegrationTest {

    @Autowired
    private PaymentMetrics metrics;

    @Test
    void paymentsNotifiesAndChannelCallsAreCountedPerChannel() {
        double createdBefore = metric("kami.payments.created", "channel:sandbox");
        double succeededBefore = metric("kami.payments.succeeded", "channel:sandbox");
        double forgedBefore = metric("kami.notify", "code:INVALID_SIGNATURE");

        JsonNode paid = placeOrder(productWithKeys(2, 300), 1);
        SandboxNotifies.send(http, SandboxNotifies.successFor(paid, clock.instant()));
        JsonNode unpaid = placeOrder(productWithKeys(1, 300), 1);
        SandboxNotifies.send(http, Http.toJson(SandboxNotifies.successFor(unpaid, clock.instant())), "wrong");
        http.post("/api/admin/payments/" + unpaid.at("/payment/paymentNo").asString() + "/repair", "",
                "application/json", Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        metrics.refreshPendingByAge();

        assertThat(metric("kami.payments.created", "channel:sandbox")).isEqualTo(createdBefore + 2);
        assertThat(metric("kami.payments.succeeded", "channel:sandbox")).isEqualTo(succeededBefore + 1);
        assertThat(metric("kami.notify", "code:INVALID_SIGNATURE")).isEqualTo(forgedBefore + 1);
        assertThat(metric("kami.channel.calls", "operation:query")).isPositive();
        assertThat(metric("kami.payments.pending", "channel:sandbox")).isPositive();
    }

    @Test
    void refundSuccessRatesAreReportedOnceRefundsAreOldEnoughToJudge() {
        JsonNode order = placeOrder(productWithKeys(1, 300), 1);
        http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay", "",
                "application/json", Map.of());
        await("delivered", Duration.ofSeconds(10),
                () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        http.post("/api/admin/orders/" + order.get("orderNo").asString() + "/refunds", Http.toJson(Map.of(
                "requestNo", "req-" + UUID.randomUUID(), "reason", "metrics")), "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        await("refunded", Duration.ofSeconds(10), () -> jdbc.sql(
                "select count(*) from refund where order_no = :no and status = 'SUCCEEDED'")
                .param("no", order.get("orderNo").asString()).query(Long.class).single() == 1);

        clock.advance(Duration.ofDays(8));
        metrics.refreshRefundSuccessRate();

        for (String within : List.of("same_day", "next_day", "within_7_days")) {
            assertThat(metric("kami.refunds.success.rate", "channel:sandbox&tag=within:" + within))
                    .isPositive().isLessThanOrEqualTo(1.0);
        }
    }

    private double metric(String name, String tag) {
        Http.Response response = http.adminGet("/actuator/metrics/" + name + "?tag=" + tag);
        if (response.status() == 404) {
            return 0;
        }
        return response.json().get("measurements").get(0).get("value").asDouble();
    }
}
