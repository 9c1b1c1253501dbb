package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kami.payment.channel.epay.EpaySimulator;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Operators switch a payment path or a whole account off and on: switched off, it is not offered and cannot be
 * chosen, but money already on its way through it is still recorded.
 */
class ChannelSwitchesTest extends KamiIntegrationTest {

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
        http.adminPost("/api/admin/channels/" + account + "/disable", "", "application/json");
        provider.close();
    }

    @Test
    void aSwitchedOffPathIsNeitherOfferedNorChosenUntilSwitchedOnAgain() {
        long productId = productWithKeys(2, 100);

        http.adminPost("/api/admin/channels/" + account + "/methods/epay.wxpay/disable", "", "application/json");

        assertThat(methods()).contains(account + "/epay.alipay").doesNotContain(account + "/epay.wxpay");
        Http.Response refused = order(productId, "epay.wxpay");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("PATH_UNAVAILABLE");
        assertThat(stock(productId).get("reserved").asLong()).as("nothing reserved").isZero();

        http.adminPost("/api/admin/channels/" + account + "/methods/epay.wxpay/enable", "", "application/json");

        assertThat(methods()).contains(account + "/epay.wxpay");
        assertThat(order(productId, "epay.wxpay").status()).isEqualTo(201);
    }

    @Test
    void aSwitchedOffAccountTakesNoOrdersButStillRecordsMoneyAlreadyPaid() throws Exception {
        JsonNode order = order(productWithKeys(2, 100), null).json();
        String providerPage = http.get(order.at("/payment/payUrl").asString()).raw().headers()
                .firstValue("Location").orElseThrow();
        try (HttpClient browser = HttpClient.newHttpClient()) {
            browser.send(HttpRequest.newBuilder(URI.create(providerPage)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }

        http.adminPost("/api/admin/channels/" + account + "/disable", "", "application/json");

        assertThat(methods()).noneMatch(method -> method.startsWith(account + "/"));
        assertThat(order(productWithKeys(1, 100), null).code()).isEqualTo("UNKNOWN_CHANNEL");
        assertThat(provider.pay(order.at("/payment/paymentNo").asString()).responseBody()).isEqualTo("success");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
    }

    private Http.Response order(long productId, String method) {
        Map<String, Object> body = new HashMap<>(Map.of("productId", productId, "quantity", 1, "email",
                "buyer@example.com", "channel", account));
        if (method != null) {
            body.put("method", method);
        }
        return http.postJson("/api/orders", body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private List<String> methods() {
        return http.get("/api/payment-methods").json().valueStream()
                .map(m -> m.get("channel").asString() + "/" + m.get("method").asString()).toList();
    }
}
