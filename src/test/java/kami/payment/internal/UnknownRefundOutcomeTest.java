package kami.payment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import kami.payment.channel.epay.EpaySimulator;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A refund whose outcome the channel cannot tell stays pending and keeps its amount taken: it is never taken
 * for failed (which would let the same money be refunded twice), and it is reported once it is stuck.
 */
class UnknownRefundOutcomeTest extends KamiIntegrationTest {

    @Autowired
    private RefundDrivers drivers;

    @Autowired
    private StuckReports stuckReports;

    private EpaySimulator provider;
    private String account;

    @BeforeEach
    void configureAccount() {
        provider = EpaySimulator.start();
        account = "epay-" + UUID.randomUUID().toString().substring(0, 8);
        http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "epay", "settings", Map.of(
                "gatewayUrl", provider.baseUrl(), "pid", provider.pid(), "key", provider.key())));
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void aRefundTheChannelCannotConfirmStaysPendingAndIsReportedWhenStuck() throws Exception {
        JsonNode order = paidThroughEpay();
        String orderNo = order.get("orderNo").asString();
        provider.failWith(502);

        Http.Response created = http.post("/api/admin/orders/" + orderNo + "/refunds", Http.toJson(Map.of(
                "requestNo", "req-" + UUID.randomUUID(), "reason", "buyer asked")), "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        String refundNo = created.json().get("refundNo").asString();
        await("submitted", Duration.ofSeconds(10), () -> jdbc.sql(
                "select last_query_result from refund where refund_no = :no").param("no", refundNo)
                .query(String.class).optional().orElse("").startsWith("UNKNOWN"));

        clock.advance(Duration.ofMinutes(61));
        drivers.driveDue();
        stuckReports.report();

        Map<String, Object> row = jdbc.sql("select status, alerted_at from refund where refund_no = :no")
                .param("no", refundNo).query().singleRow();
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("alerted_at")).as("reported as stuck").isNotNull();
        assertThat(http.adminGet("/actuator/metrics/kami.refunds.stuck").json().at("/measurements/0/value")
                .asDouble()).isPositive();
        assertThat(jdbc.sql("select refunded_minor from payment where order_no = :no").param("no", orderNo)
                .query(Long.class).single()).as("the amount stays taken").isEqualTo(500);
        assertThat(provider.trade(order.at("/payment/paymentNo").asString()).orElseThrow().refundedFen())
                .as("the refund was sent once and failed at the provider").isZero();
    }

    private JsonNode paidThroughEpay() throws Exception {
        Http.Response placed = http.postJson("/api/orders", Map.of("productId", productWithKeys(1, 500),
                "quantity", 1, "email", "buyer@example.com", "channel", account), Map.of("Idempotency-Key",
                UUID.randomUUID().toString()));
        JsonNode order = placed.json();
        String providerPage = http.get(order.at("/payment/payUrl").asString()).raw().headers()
                .firstValue("Location").orElseThrow();
        try (HttpClient browser = HttpClient.newHttpClient()) {
            browser.send(HttpRequest.newBuilder(URI.create(providerPage)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        provider.pay(order.at("/payment/paymentNo").asString());
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        return order;
    }
}
