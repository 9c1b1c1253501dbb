package kami.ordering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class OrderExpiryTest extends KamiIntegrationTest {

    private static final Duration PAST_TIMEOUT = Duration.ofMinutes(15).plusSeconds(1);

    @Autowired
    private ExpirySweeper expiry;

    @Test
    void anUnpaidOrderExpiresAfterTheTimeoutAndReleasesItsKeys() {
        long productId = productWithKeys(2, 300);
        JsonNode order = placeOrder(productId, 2);

        clock.advance(Duration.ofMinutes(14));
        expiry.sweep();
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        expiry.sweep();
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("EXPIRED");
        assertThat(stock(productId).get("available").asLong()).isEqualTo(2);
        assertThat(stock(productId).get("reserved").asLong()).isZero();
    }

    @Test
    void aPaymentAfterExpiryReservesKeysAgainAndDelivers() {
        long productId = productWithKeys(2, 300);
        JsonNode order = placeOrder(productId, 1);
        clock.advance(PAST_TIMEOUT);
        expiry.sweep();

        Http.Response reply = SandboxNotifies.send(http, SandboxNotifies.successFor(order, clock.instant()));

        assertThat(reply.body()).isEqualTo("success");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        assertThat(keysOf(lookup(order))).hasSize(1);
        assertThat(stock(productId).get("sold").asLong()).isEqualTo(1);
        assertThat(stock(productId).get("available").asLong()).isEqualTo(1);
    }

    @Test
    void aPaymentAfterExpiryWithoutStockNeedsARefundAndIsReported() {
        long productId = productWithKeys(1, 300);
        JsonNode late = placeOrder(productId, 1);
        clock.advance(PAST_TIMEOUT);
        expiry.sweep();
        JsonNode other = placeOrder(productId, 1);
        assertThat(stock(productId).get("available").asLong()).isZero();

        Instant paidAt = clock.instant();
        Http.Response reply = SandboxNotifies.send(http, SandboxNotifies.successFor(late, paidAt));

        assertThat(reply.body()).as("the payment is recorded, not dropped").isEqualTo("success");
        String lateOrderNo = late.get("orderNo").asString();
        assertThat(orderStatus(lateOrderNo)).isEqualTo("NEEDS_REFUND");
        assertThat(jdbc.sql("select status from payment where order_no = :no").param("no", lateOrderNo)
                .query(String.class).single()).isEqualTo("SUCCEEDED");
        assertThat(orderStatus(other.get("orderNo").asString())).as("the other buyer keeps the key")
                .isEqualTo("PENDING_PAYMENT");
        Http.Response report = http.adminGet("/api/admin/orders?status=NEEDS_REFUND");
        assertThat(report.json().valueStream().map(o -> o.get("orderNo").asString())).contains(lateOrderNo);
    }

    @Test
    void aLatePaymentWithoutStockIsRefundedAutomatically() {
        long productId = productWithKeys(1, 300);
        JsonNode late = placeOrder(productId, 1);
        String lateOrderNo = late.get("orderNo").asString();
        clock.advance(PAST_TIMEOUT);
        expiry.sweep();
        placeOrder(productId, 1);
        // The payer paid at the PSP after the order had expired there too.
        jdbc.sql("update sandbox_trade set status = 'PAID', channel_trade_no = :trade where payment_no = :no")
                .param("trade", "T-LATE-" + lateOrderNo).param("no", late.at("/payment/paymentNo").asString())
                .update();
        Map<String, Object> notify = SandboxNotifies.successFor(late, clock.instant());
        notify.put("channelTradeNo", "T-LATE-" + lateOrderNo);

        assertThat(SandboxNotifies.send(http, notify).body()).isEqualTo("success");

        await("refunded", Duration.ofSeconds(10), () -> "REFUNDED".equals(orderStatus(lateOrderNo)));
        JsonNode refunds = http.adminGet("/api/admin/orders/" + lateOrderNo + "/refunds").json();
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).get("amountMinor").asLong()).isEqualTo(300);
        assertThat(refunds.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
    }
}
