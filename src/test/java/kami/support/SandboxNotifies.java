package kami.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/** Builds and signs sandbox notifies the way the sandbox PSP does, so tests can forge, replay and tamper. */
public final class SandboxNotifies {

    public static final String DEMO_SECRET = "kami-sandbox-demo-secret";

    private SandboxNotifies() {
    }

    public static Map<String, Object> successFor(JsonNode placedOrder, Instant now) {
        Map<String, Object> notify = new LinkedHashMap<>();
        notify.put("paymentNo", placedOrder.at("/payment/paymentNo").asString());
        notify.put("channelTradeNo", "T-" + UUID.randomUUID());
        notify.put("amountMinor", placedOrder.get("amountMinor").asLong());
        notify.put("currency", placedOrder.get("currency").asString());
        notify.put("status", "SUCCESS");
        notify.put("timestamp", now.getEpochSecond());
        notify.put("nonce", UUID.randomUUID().toString());
        return notify;
    }

    public static Http.Response send(Http http, String rawBody, String secret) {
        return http.post("/api/notify/sandbox", rawBody, "application/json",
                Map.of("X-Sandbox-Signature", sign(rawBody, secret)));
    }

    public static Http.Response send(Http http, Map<String, Object> notify) {
        return send(http, Http.toJson(notify), DEMO_SECRET);
    }

    public static String sign(String rawBody, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(rawBody.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
