package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import kami.payment.channel.wechat.MerchantKeys;
import kami.payment.channel.wechat.WechatPaySimulator;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A buyer pays with WeChat Pay v3 (the strict simulator: signed requests, signed answers, encrypted notifies)
 * end to end, and a refund that WeChat Pay finishes later is settled by its refund notify.
 */
class WechatPayThroughTheGatewayTest extends KamiIntegrationTest {

    private WechatPaySimulator wechat;
    private String account;

    @BeforeEach
    void configureAccount() {
        wechat = WechatPaySimulator.start(MerchantKeys.generate());
        account = "wechat-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response saved = http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "wechat",
                "settings", wechat.settings()));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    @AfterEach
    void stopWechat() {
        wechat.close();
    }

    @Test
    void aBuyerPaysByQrCodeGetsTheKeyAndARefundSettlesByNotify() {
        JsonNode order = placeOrderWith(productWithKeys(1, 1999));
        String paymentNo = order.at("/payment/paymentNo").asString();

        Http.Response cashier = http.get(order.at("/payment/payUrl").asString());
        assertThat(cashier.status()).isEqualTo(302);
        assertThat(cashier.raw().headers().firstValue("Location").orElseThrow()).startsWith("weixin://");
        assertThat(wechat.trade(paymentNo)).as("WeChat Pay accepted Kami's signed prepay request").isPresent();

        WechatPaySimulator.Delivery notified = wechat.pay(paymentNo);
        assertThat(notified.status()).isEqualTo(204);
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));

        Http.Response refund = http.post("/api/admin/orders/" + order.get("orderNo").asString() + "/refunds",
                Http.toJson(Map.of("requestNo", "req-" + UUID.randomUUID(), "reason", "buyer asked")),
                "application/json", Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        String refundNo = refund.json().get("refundNo").asString();
        await("refund accepted by WeChat Pay", Duration.ofSeconds(10), () -> wechat.refund(refundNo).isPresent());
        assertThat(status(refundNo)).isEqualTo("PENDING");

        assertThat(wechat.finishRefund(refundNo, "SUCCESS").status()).isEqualTo(204);

        assertThat(status(refundNo)).isEqualTo("SUCCEEDED");
        assertThat(wechat.refundsOf(paymentNo)).hasSize(1);
    }

    private String status(String refundNo) {
        return http.adminGet("/api/admin/refunds/" + refundNo).json().get("status").asString();
    }

    private JsonNode placeOrderWith(long productId) {
        Http.Response placed = http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1,
                "email", "buyer@example.com", "channel", account), Map.of("Idempotency-Key",
                UUID.randomUUID().toString()));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json();
    }
}
