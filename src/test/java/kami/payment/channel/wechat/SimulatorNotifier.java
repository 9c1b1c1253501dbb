package kami.payment.channel.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import kami.payment.channel.wechat.WechatPaySimulator.Delivery;
import kami.payment.channel.wechat.WechatPaySimulator.NotifyFault;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds WeChat Pay notifies (AES-256-GCM resource, platform signature over {@code timestamp\nnonce\nbody\n}) and
 * posts them over HTTP, optionally spoiled by a {@link NotifyFault}.
 */
final class SimulatorNotifier {

    private static final Duration STALE_BY = Duration.ofMinutes(10);

    private final JsonMapper json;
    private final KeyPair platformKeys;
    private final KeyPair impostorKeys;
    private final String publicKeyId;
    private final String apiV3Key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    SimulatorNotifier(JsonMapper json, KeyPair platformKeys, KeyPair impostorKeys, String publicKeyId,
            String apiV3Key) {
        this.json = json;
        this.platformKeys = platformKeys;
        this.impostorKeys = impostorKeys;
        this.publicKeyId = publicKeyId;
        this.apiV3Key = apiV3Key;
    }

    Delivery send(URI notifyUrl, String eventType, String originalType, Map<String, Object> resource,
            NotifyFault fault) {
        String nonce = SimulatorCrypto.randomAlphanumeric(12);
        String key = fault == NotifyFault.WRONG_APIV3_KEY ? SimulatorCrypto.randomAlphanumeric(32) : apiV3Key;
        String ciphertext = SimulatorCrypto.encrypt(key, nonce, originalType, json.writeValueAsString(resource));
        Instant now = Instant.now();
        String body = json.writeValueAsString(SimulatorBooks.json(
                "id", UUID.randomUUID().toString(), "create_time", WechatStates.rfc3339(now),
                "resource_type", "encrypt-resource", "event_type", eventType, "summary", eventType,
                "resource", SimulatorBooks.json("original_type", originalType, "algorithm", "AEAD_AES_256_GCM",
                        "ciphertext", ciphertext, "associated_data", originalType, "nonce", nonce)));
        Instant signedAt = fault == NotifyFault.STALE_TIMESTAMP ? now.minus(STALE_BY) : now;
        String timestamp = Long.toString(signedAt.getEpochSecond());
        String headerNonce = SimulatorCrypto.randomAlphanumeric(32);
        KeyPair signer = fault == NotifyFault.FORGED_SIGNATURE ? impostorKeys : platformKeys;
        String signature = SimulatorCrypto.sign(signer.getPrivate(), timestamp + "\n" + headerNonce + "\n" + body
                + "\n");
        if (fault == NotifyFault.TAMPERED_CIPHERTEXT) {
            body = body.replace(ciphertext, ciphertext.substring(1) + ciphertext.charAt(0));
        }
        if (fault == NotifyFault.TAMPERED_BODY) {
            body = body.replace("\"summary\":\"" + eventType, "\"summary\":\"" + eventType + " (edited)");
        }
        String serial = fault == NotifyFault.WRONG_SERIAL ? "PUB_KEY_ID_" + SimulatorCrypto.randomDigits(30)
                : publicKeyId;
        HttpRequest request = HttpRequest.newBuilder(notifyUrl).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("Wechatpay-Timestamp", timestamp)
                .header("Wechatpay-Nonce", headerNonce)
                .header("Wechatpay-Signature", signature)
                .header("Wechatpay-Serial", serial)
                .header("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Delivery(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Delivery(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery(0, e.toString());
        }
    }
}
