package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * A buyer pays through an Epay provider (the strict simulator) end to end: the account is configured through
 * the admin API, the cashier sends the payer to the provider, the provider's signed notify pays the order.
 */
class EpayThroughTheGatewayTest extends KamiIntegrationTest {

    private EpaySimulator provider;
    private String account;

    @BeforeEach
    void configureAccount() {
        provider = EpaySimulator.start();
        account = "epay-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response saved = http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "epay",
                "settings", Map.of("gatewayUrl", provider.baseUrl(), "pid", provider.pid(), "key", provider.key())));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void aBuyerPaysThroughTheProviderAndGetsTheKey() throws Exception {
        JsonNode order = placeOrderWith(productWithKeys(1, 1234));
        String paymentNo = order.at("/payment/paymentNo").asString();

        Http.Response cashier = http.get(order.at("/payment/payUrl").asString());
        assertThat(cashier.status()).isEqualTo(302);
        String providerPage = cashier.raw().headers().firstValue("Location").orElseThrow();
        assertThat(open(providerPage)).as("the provider accepts Kami's signed request").isEqualTo(200);

        EpaySimulator.Notified notified = provider.pay(paymentNo);

        assertThat(notified.status()).isEqualTo(200);
        assertThat(notified.responseBody()).isEqualTo("success");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        assertThat(keysOf(lookup(order))).hasSize(1);
    }

    @Test
    void aTamperedNotifyIsRefusedJournaledAndChangesNothing() {
        JsonNode order = placeOrderWith(productWithKeys(1, 1234));
        String paymentNo = order.at("/payment/paymentNo").asString();
        String forged = "pid=" + provider.pid() + "&trade_no=T1&out_trade_no=" + paymentNo
                + "&type=alipay&name=x&money=0.01&trade_status=TRADE_SUCCESS&sign=" + "0".repeat(32)
                + "&sign_type=MD5";

        Http.Response reply = http.post("/api/notify/" + account, forged, "application/x-www-form-urlencoded",
                Map.of());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).isEqualTo("fail");
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");
        Map<String, Object> journaled = jdbc.sql("""
                select verdict, reason, headers, raw_body from notify_journal
                where channel = :account order by id desc limit 1""").param("account", account).query().singleRow();
        assertThat(journaled.get("verdict")).isEqualTo("REJECTED");
        assertThat((String) journaled.get("reason")).startsWith("INVALID_SIGNATURE");
        assertThat((String) journaled.get("headers")).contains("content-type");
        assertThat(journaled.get("raw_body")).isEqualTo(forged);
    }

    @Test
    void credentialsAreStoredEncryptedAndNeverShown() {
        Http.Response shown = http.adminGet("/api/admin/channels/" + account);

        assertThat(shown.json().get("type").asString()).isEqualTo("epay");
        assertThat(shown.body()).doesNotContain(provider.key());
        byte[] stored = jdbc.sql("select settings_ciphertext from channel_account where name = :name")
                .param("name", account).query(byte[].class).single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(provider.key());
    }

    @Test
    void settingsThatDoNotConnectAreRefusedAndChangeNothing() {
        Http.Response refused = http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "epay",
                "settings", Map.of("gatewayUrl", "not a url", "pid", provider.pid(), "key", "k")));
        Http.Response unknownType = http.adminPutJson("/api/admin/channels/other", Map.of("type", "nope",
                "settings", Map.of()));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("INVALID_CHANNEL_SETTINGS");
        assertThat(unknownType.code()).isEqualTo("UNKNOWN_CHANNEL_TYPE");
        assertThat(placeOrderWith(productWithKeys(1, 100)).at("/payment/channel").asString()).isEqualTo(account);
    }

    private JsonNode placeOrderWith(long productId) {
        Http.Response placed = http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1,
                "email", "buyer@example.com", "channel", account), Map.of("Idempotency-Key",
                UUID.randomUUID().toString()));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json();
    }

    private static int open(String url) throws Exception {
        try (HttpClient browser = HttpClient.newHttpClient()) {
            return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
