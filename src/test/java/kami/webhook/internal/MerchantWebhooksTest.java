package kami.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The merchant's system hears of paid and delivered orders through signed webhooks, retried on the schedule
 * while it is down, given up after the schedule (and reported), and resent on an operator's request.
 */
class MerchantWebhooksTest extends KamiIntegrationTest {

    record Received(String signature, String eventType, String body) {
    }

    @Autowired
    private WebhookSender sender;

    private HttpServer merchant;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private long endpointId;
    private String secret;

    @BeforeEach
    void merchantSystem() throws Exception {
        merchant = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        merchant.createContext("/hooks", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("Kami-Signature"),
                    exchange.getRequestHeaders().getFirst("Kami-Event-Type"), new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204, -1);
            exchange.close();
        });
        merchant.start();
        Http.Response created = http.adminPost("/api/admin/webhooks/endpoints", Http.toJson(Map.of("url",
                "http://127.0.0.1:" + merchant.getAddress().getPort() + "/hooks")), "application/json");
        assertThat(created.status()).isEqualTo(201);
        endpointId = created.json().get("id").asLong();
        secret = created.json().get("secret").asString();
    }

    @AfterEach
    void stopMerchant() {
        http.adminPost("/api/admin/webhooks/endpoints/" + endpointId + "/disable", "", "application/json");
        merchant.stop(0);
    }

    @Test
    void aDeliveredOrderIsAnnouncedWithAVerifiableSignature() throws Exception {
        JsonNode order = payAndWaitForDelivery();

        await("three webhooks", Duration.ofSeconds(10), () -> received.size() >= 3);
        assertThat(received).extracting(Received::eventType)
                .containsExactlyInAnyOrder("payment.succeeded", "order.paid", "order.delivered");
        for (Received webhook : received) {
            assertThat(webhook.body()).contains(order.get("orderNo").asString());
            assertThat(verify(webhook)).as("signature over t.body with the endpoint's secret").isTrue();
        }
        assertThat(received.stream().map(Received::body)).noneMatch(body -> body.contains("KEY-"));
    }

    @Test
    void aWebhookIsRetriedOnTheScheduleGivenUpAndResentOnRequest() throws Exception {
        failuresLeft.set(1_000);
        JsonNode order = payAndWaitForDelivery();
        long deliveryId = deliveryOf(order, "order.delivered");
        await("first attempt", Duration.ofSeconds(10), () -> attempts(deliveryId) == 1);

        for (Duration pause : List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6),
                Duration.ofHours(12), Duration.ofHours(12))) {
            clock.advance(pause);
            sendDue();
        }

        assertThat(status(deliveryId)).isEqualTo("FAILED");
        assertThat(attempts(deliveryId)).isEqualTo(10);
        failuresLeft.set(0);
        Http.Response resent = http.adminPost("/api/admin/webhooks/deliveries/" + deliveryId + "/resend", "",
                "application/json");
        assertThat(resent.json().get("status").asString()).isEqualTo("PENDING");
        sendDue();
        assertThat(status(deliveryId)).isEqualTo("DELIVERED");
    }

    @Test
    void aNotifyThatChangesNothingAnnouncesNothing() {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);
        String paymentNo = order.at("/payment/paymentNo").asString();

        Http.Response forged = SandboxNotifies.send(http, Http.toJson(SandboxNotifies.successFor(order,
                clock.instant())), "not-the-secret");

        assertThat(forged.status()).isEqualTo(401);
        assertThat(jdbc.sql("select count(*) from webhook_delivery where payload like :payment")
                .param("payment", "%" + paymentNo + "%").query(Long.class).single()).isZero();
    }

    /**
     * One pass over the due webhooks at the clock's current time, finished before the test moves the clock on. A
     * pass started by a commit may still be running: the call then leaves it a note and returns at once, so the
     * test waits for the running pass (and the one it was asked for) to end.
     */
    private void sendDue() {
        await("the running send pass to end", Duration.ofSeconds(10), () -> !sender.busy());
        sender.sendDue();
        await("the asked-for send pass to end", Duration.ofSeconds(10), () -> !sender.busy());
    }

    private JsonNode payAndWaitForDelivery() {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);
        http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay", "",
                "application/json", Map.of());
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        return order;
    }

    private long deliveryOf(JsonNode order, String type) {
        return jdbc.sql("""
                select id from webhook_delivery where event_type = :type and endpoint_id = :endpoint
                  and payload like :order""").param("type", type).param("endpoint", endpointId)
                .param("order", "%" + order.get("orderNo").asString() + "%").query(Long.class).single();
    }

    private int attempts(long deliveryId) {
        return jdbc.sql("select attempts from webhook_delivery where id = :id").param("id", deliveryId)
                .query(Integer.class).single();
    }

    private String status(long deliveryId) {
        return jdbc.sql("select status from webhook_delivery where id = :id").param("id", deliveryId)
                .query(String.class).single();
    }

    private boolean verify(Received webhook) throws Exception {
        String[] parts = webhook.signature().split(",");
        String t = parts[0].substring(2);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + webhook.body())
                .getBytes(StandardCharsets.UTF_8)));
        return parts[1].equals("v1=" + expected);
    }
}
