package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import kami.support.Http;
import tools.jackson.databind.JsonNode;

/** What the online-banking tests do over HTTP: order through a sandbox bank, ask the bank, read the paths. */
final class OnlineBanking {

    static final String METHOD = "sandbox.bank";

    private final Http http;

    OnlineBanking(Http http) {
        this.http = http;
    }

    Http.Response order(long productId, String method, String bank) {
        Map<String, Object> body = new HashMap<>(Map.of("productId", productId, "quantity", 1, "email",
                "buyer@example.com", "channel", "sandbox", "method", method));
        if (bank != null) {
            body.put("bank", bank);
        }
        return http.postJson("/api/orders", body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    /** Places an order paid through the bank and returns its payment number. */
    String paymentThrough(long productId, String bank) {
        Http.Response placed = order(productId, METHOD, bank);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json().at("/payment/paymentNo").asString();
    }

    /** A manual repair: one status query of the payment through its path; returns the channel's answer. */
    String ask(String paymentNo) {
        Http.Response response = http.post("/api/admin/payments/" + paymentNo + "/repair", "", "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("channelAnswer").asString();
    }

    void faults(List<String> failingBanks, List<String> hangingBanks) {
        Http.Response set = http.adminPutJson("/api/admin/sandbox/faults", Map.of("notifyDelayMillis", 0,
                "duplicateNotifies", 0, "dropRate", 0.0, "failingBanks", failingBanks, "hangingBanks", hangingBanks));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    /** The cashier's methods as {@code channel/method}. */
    List<String> offeredMethods() {
        return cashier().map(m -> m.get("channel").asString() + "/" + m.get("method").asString()).toList();
    }

    /** The sandbox banks the cashier offers now. */
    List<String> offeredBanks() {
        return cashier().filter(m -> m.get("method").asString().equals(METHOD))
                .flatMap(m -> StreamSupport.stream(m.get("banks").spliterator(), false))
                .map(JsonNode::asString).toList();
    }

    /** The bank's path as the admin channel view shows it. */
    JsonNode bankPath(String bank) {
        return methodPath().get("banks").valueStream().filter(b -> b.get("bank").asString().equals(bank))
                .findFirst().orElseThrow();
    }

    JsonNode methodPath() {
        return http.adminGet("/api/admin/channels/sandbox").json().get("paths").valueStream()
                .filter(p -> p.get("method").asString().equals(METHOD)).findFirst().orElseThrow();
    }

    Http.Response switchBank(String bank, String onOrOff) {
        return http.adminPost("/api/admin/channels/sandbox/methods/" + METHOD + "/banks/" + bank + "/" + onOrOff, "",
                "application/json");
    }

    Http.Response switchMethod(String onOrOff) {
        return http.adminPost("/api/admin/channels/sandbox/methods/" + METHOD + "/" + onOrOff, "",
                "application/json");
    }

    private java.util.stream.Stream<JsonNode> cashier() {
        return http.get("/api/payment-methods").json().valueStream();
    }
}
