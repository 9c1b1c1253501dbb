package kami.payment.channel.alipay;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The simulated gateway's check of a request's envelope, before it does anything the request asks. */
final class SimulatedRequests {

    private SimulatedRequests() {
    }

    /**
     * Alipay's {@code sub_code} for what is wrong with the request, or {@code null} when it may proceed. The
     * signature covers every parameter but {@code sign} itself (in the URL and in the body alike), sorted.
     */
    static @Nullable String problem(Map<String, String> params, String appId, @Nullable PublicKey appPublicKey,
            Instant now) {
        if (!appId.equals(params.get("app_id"))) {
            return "isv.invalid-app-id";
        }
        if (params.getOrDefault("method", "").isEmpty()) {
            return "isv.missing-method";
        }
        if (!"RSA2".equals(params.get("sign_type"))) {
            return "isv.invalid-signature-type";
        }
        if (!"utf-8".equals(params.getOrDefault("charset", "").toLowerCase(Locale.ROOT))) {
            return "isv.invalid-charset";
        }
        if (!"1.0".equals(params.get("version"))) {
            return "isv.invalid-version";
        }
        Instant sentAt = SimulatedGateway.beijing(params.getOrDefault("timestamp", ""));
        if (sentAt == null || Duration.between(sentAt, now).abs().compareTo(AlipaySimulator.TIMESTAMP_SKEW_MAX) > 0) {
            return "isv.invalid-timestamp";
        }
        String sign = params.get("sign");
        if (sign == null || sign.isEmpty()) {
            return "isv.missing-signature";
        }
        if (appPublicKey == null || !Rsa2.verify(Rsa2.content(params, "sign"), sign, appPublicKey)) {
            return "isv.invalid-signature";
        }
        return null;
    }
}
