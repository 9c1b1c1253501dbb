package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import kami.payment.channel.alipay.AlipaySimulator;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A buyer pays through Alipay (the strict simulator, real RSA2 both ways) end to end, and the merchant refunds
 * part of it: configured through the admin API, paid through the cashier, confirmed by Alipay's notify.
 */
class AlipayThroughTheGatewayTest extends KamiIntegrationTest {

    private AlipaySimulator alipay;
    private String account;

    @BeforeEach
    void configureAccount() {
        alipay = AlipaySimulator.start("2021" + (100000 + (int) (Math.random() * 899999)));
        account = "alipay-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response saved = http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "alipay",
                "settings", alipay.settingsFor(AlipaySimulator.newAppKeys())));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    @AfterEach
    void stopAlipay() {
        alipay.close();
    }

    @Test
    void aBuyerPaysWithAlipayGetsTheKeyAndIsRefundedInPart() {
        JsonNode order = placeOrderWith(productWithKeys(1, 2599));
        String paymentNo = order.at("/payment/paymentNo").asString();

        Http.Response cashier = http.get(order.at("/payment/payUrl").asString());
        assertThat(cashier.status()).isEqualTo(302);
        assertThat(alipay.open(cashier.raw().headers().firstValue("Location").orElseThrow()).statusCode())
                .as("Alipay accepts Kami's signed page request").isEqualTo(200);

        assertThat(alipay.pay(paymentNo)).isEqualTo("success");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));

        Http.Response refund = http.post("/api/admin/orders/" + order.get("orderNo").asString() + "/refunds",
                Http.toJson(Map.of("requestNo", "req-" + UUID.randomUUID(), "amountMinor", 599, "reason", "partial")),
                "application/json", Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        String refundNo = refund.json().get("refundNo").asString();
        await("refund succeeded", Duration.ofSeconds(10), () -> "SUCCEEDED".equals(
                http.adminGet("/api/admin/refunds/" + refundNo).json().get("status").asString()));
        assertThat(alipay.trade(paymentNo).orElseThrow().refundedAmount()).isEqualTo("5.99");
        assertThat(alipay.finish(paymentNo)).as("TRADE_FINISHED repeats the payment, no second effect")
                .isEqualTo("success");
        assertThat(jdbc.sql("select count(*) from notify_journal where payment_no = :no and verdict = 'ACCEPTED'")
                .param("no", paymentNo).query(Long.class).single()).isEqualTo(1);
    }

    private JsonNode placeOrderWith(long productId) {
        Http.Response placed = http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1,
                "email", "buyer@example.com", "channel", account, "method", "alipay.page"),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json();
    }
}
