package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import kami.support.Concurrently;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Refunds are idempotent by request number and never exceed what was paid, even when requested concurrently. */
class RefundsTest extends KamiIntegrationTest {

    @Test
    void aFullRefundReachesThePayerOnce() {
        JsonNode order = paidOrder(1000);
        String orderNo = order.get("orderNo").asString();

        Http.Response first = refund(orderNo, "req-" + UUID.randomUUID(), null, "buyer asked");

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("amountMinor").asLong()).isEqualTo(1000);
        String refundNo = first.json().get("refundNo").asString();
        await("refund succeeded", Duration.ofSeconds(10), () -> "SUCCEEDED".equals(
                http.adminGet("/api/admin/refunds/" + refundNo).json().get("status").asString()));
        assertThat(jdbc.sql("select sum(amount_minor) from sandbox_refund where payment_no = :no")
                .param("no", order.at("/payment/paymentNo").asString()).query(Long.class).single()).isEqualTo(1000);
        assertThat(refund(orderNo, "req-" + UUID.randomUUID(), 1L, "again").code())
                .isEqualTo("REFUND_EXCEEDS_PAYMENT");
    }

    @Test
    void theSameRequestNumberIsTheSameRefundAndCannotBeReusedForAnother() {
        String orderNo = paidOrder(1000).get("orderNo").asString();
        String requestNo = "req-" + UUID.randomUUID();

        Http.Response first = refund(orderNo, requestNo, 300L, "damaged key");
        Http.Response again = refund(orderNo, requestNo, 300L, "damaged key");
        Http.Response other = refund(orderNo, requestNo, 400L, "damaged key");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.json().get("refundNo").asString()).isEqualTo(first.json().get("refundNo").asString());
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("REFUND_REQUEST_REUSED");
        assertThat(http.adminGet("/api/admin/orders/" + orderNo + "/refunds").json()).hasSize(1);
    }

    @Test
    void concurrentRefundsNeverExceedThePaidAmount() throws Exception {
        JsonNode order = paidOrder(100);
        String orderNo = order.get("orderNo").asString();
        AtomicInteger n = new AtomicInteger();

        List<Integer> statuses = Concurrently.startTogether(16, () ->
                refund(orderNo, "req-" + n.incrementAndGet() + "-" + UUID.randomUUID(), 30L, "split").status());

        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(3);
        assertThat(statuses.stream().filter(s -> s == 409)).hasSize(13);
        await("refunds done", Duration.ofSeconds(10), () -> jdbc.sql(
                "select count(*) from refund where order_no = :no and status = 'SUCCEEDED'").param("no", orderNo)
                .query(Long.class).single() == 3);
        assertThat(jdbc.sql("select refunded_minor from payment where order_no = :no").param("no", orderNo)
                .query(Long.class).single()).isEqualTo(90);
    }

    @Test
    void concurrentRequestsWithOneRequestNumberMakeOneRefund() throws Exception {
        String orderNo = paidOrder(100).get("orderNo").asString();
        String requestNo = "req-" + UUID.randomUUID();

        List<Integer> statuses = Concurrently.startTogether(16, () -> refund(orderNo, requestNo, 50L, "once").status());

        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(15);
        assertThat(jdbc.sql("select count(*) from refund where request_no = :no").param("no", requestNo)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void onlyPaidOrdersCanBeRefundedAndBadRequestsAreRefused() {
        String unpaid = placeOrder(productWithKeys(1, 100), 1).get("orderNo").asString();

        assertThat(refund(unpaid, "req-" + UUID.randomUUID(), null, "x").code()).isEqualTo("NOT_REFUNDABLE");
        assertThat(refund("K-NOPE", "req-" + UUID.randomUUID(), null, "x").code()).isEqualTo("ORDER_NOT_FOUND");
        assertThat(refund(unpaid, "has space", null, "x").code()).isEqualTo("INVALID_REQUEST_NO");
        assertThat(refund(unpaid, "req-" + UUID.randomUUID(), 0L, "x").code()).isEqualTo("INVALID_AMOUNT");
        assertThat(refund(unpaid, "req-" + UUID.randomUUID(), null, " ").code()).isEqualTo("INVALID_REASON");
    }

    private JsonNode paidOrder(long priceMinor) {
        JsonNode order = placeOrder(productWithKeys(1, priceMinor), 1);
        http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay", "",
                "application/json", Map.of());
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        return order;
    }

    private Http.Response refund(String orderNo, String requestNo, Long amountMinor, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("requestNo", requestNo);
        body.put("reason", reason);
        if (amountMinor != null) {
            body.put("amountMinor", amountMinor);
        }
        return http.post("/api/admin/orders/" + orderNo + "/refunds", Http.toJson(body), "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
    }
}
