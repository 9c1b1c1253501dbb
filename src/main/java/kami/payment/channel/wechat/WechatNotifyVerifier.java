package kami.payment.channel.wechat;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.wechat.pay.java.core.notification.Notification;
import com.wechat.pay.java.core.notification.Resource;
import com.wechat.pay.java.core.util.GsonUtil;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.NotifyVerdict.Unverified;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.NotifyVerdict.VerifiedRefund;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import kami.payment.channel.wechat.WechatStates.RefundReport;
import org.jspecify.annotations.Nullable;

/**
 * Verifies WeChat Pay notifies with JDK crypto rather than the SDK's {@code NotificationParser}: the parser does not
 * check the timestamp, reports an unknown serial as a bad signature, fails with a NullPointerException on a resource
 * without the optional associated_data, and decrypts into one class, while refund notifies need the mchid that the
 * SDK's {@code RefundNotification} lacks. The steps are the documented ones: SHA256withRSA over
 * {@code timestamp\nnonce\nbody\n} with the WeChat Pay public key, then AES-256-GCM with the APIv3 key.
 */
final class WechatNotifyVerifier {

    /** WeChat Pay's own SDKs accept a response at most five minutes old; a notify gets the same window. */
    static final Duration NOTIFY_AGE_MAX = Duration.ofMinutes(5);
    static final String SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048";
    static final String RESOURCE_ALGORITHM = "AEAD_AES_256_GCM";
    private static final int GCM_TAG_BITS = 128;
    private static final Gson GSON = GsonUtil.getGson();

    private final WechatPaySettings settings;

    WechatNotifyVerifier(WechatPaySettings settings) {
        this.settings = settings;
    }

    /**
     * Checks, in order: signature headers present, serial known, timestamp fresh, signature valid, resource
     * decryptable and readable, merchant and app ours. Nothing is believed before the signature checks out; what
     * could be decrypted is passed on as the claimed payment number so the gateway can ask WeChat Pay about it.
     */
    NotifyVerdict verify(InboundNotify notify) {
        String timestamp = notify.header("Wechatpay-Timestamp");
        String nonce = notify.header("Wechatpay-Nonce");
        String signature = notify.header("Wechatpay-Signature");
        String serial = notify.header("Wechatpay-Serial");
        Notification envelope = envelope(notify.body());
        JsonObject resource = envelope == null ? null : decrypt(envelope.getResource());
        String claimed = resource == null ? null : string(resource, "out_trade_no");
        if (timestamp == null || nonce == null || signature == null || serial == null) {
            return rejected(WechatNotifyRejection.INVALID_SIGNATURE, "Wechatpay-* signature headers missing",
                    claimed);
        }
        if (!settings.publicKeyId().equals(serial.strip())) {
            return rejected(WechatNotifyRejection.UNKNOWN_SERIAL, "signed with " + abbreviate(serial)
                    + ", not the configured WeChat Pay public key " + settings.publicKeyId(), claimed);
        }
        Instant sentAt = epochSeconds(timestamp);
        if (sentAt == null) {
            return rejected(WechatNotifyRejection.INVALID_SIGNATURE, "Wechatpay-Timestamp is not a number", claimed);
        }
        if (Duration.between(sentAt, notify.receivedAt()).abs().compareTo(NOTIFY_AGE_MAX) > 0) {
            return rejected(WechatNotifyRejection.STALE_NOTIFY, "sent at " + sentAt + ", received at "
                    + notify.receivedAt(), claimed);
        }
        String signatureType = notify.header("Wechatpay-Signature-Type");
        if ((signatureType != null && !SIGNATURE_TYPE.equals(signatureType.strip()))
                || !signatureValid(timestamp + "\n" + nonce + "\n" + notify.body() + "\n", signature)) {
            return rejected(WechatNotifyRejection.INVALID_SIGNATURE, "signature does not verify with the WeChat Pay "
                    + "public key", claimed);
        }
        if (envelope == null) {
            return rejected(WechatNotifyRejection.UNREADABLE_NOTIFY, "body is not a WeChat Pay notify", null);
        }
        if (resource == null) {
            return rejected(WechatNotifyRejection.INVALID_SIGNATURE, "resource does not decrypt with the configured "
                    + "APIv3 key", null);
        }
        String eventType = envelope.getEventType() == null ? "" : envelope.getEventType();
        if (eventType.startsWith("TRANSACTION.")) {
            return payment(resource, notify.receivedAt());
        }
        if (eventType.startsWith("REFUND.")) {
            return refund(resource, notify.receivedAt());
        }
        return rejected(WechatNotifyRejection.UNREADABLE_NOTIFY, "event_type " + abbreviate(eventType)
                + " is not handled", claimed);
    }

    private NotifyVerdict payment(JsonObject resource, Instant receivedAt) {
        Transaction transaction = read(resource, Transaction.class);
        String paymentNo = transaction == null ? null : transaction.getOutTradeNo();
        if (transaction == null || paymentNo == null) {
            return rejected(WechatNotifyRejection.UNREADABLE_NOTIFY, "resource is not a transaction", null);
        }
        if (!settings.mchId().equals(transaction.getMchid()) || !settings.appId().equals(transaction.getAppid())) {
            return rejected(WechatNotifyRejection.WRONG_MERCHANT, "for mchid " + abbreviate(transaction.getMchid())
                    + " / appid " + abbreviate(transaction.getAppid()), paymentNo);
        }
        PaymentState state = WechatStates.payment(transaction, receivedAt);
        if (state instanceof PaymentState.Unknown unknown) {
            return rejected(WechatNotifyRejection.UNREADABLE_NOTIFY, unknown.reason(), paymentNo);
        }
        return new VerifiedPayment(paymentNo, state);
    }

    private NotifyVerdict refund(JsonObject resource, Instant receivedAt) {
        RefundNotification notification = read(resource, RefundNotification.class);
        RefundReport report = notification == null ? null : RefundReport.of(notification);
        if (report == null || report.outRefundNo() == null) {
            return rejected(WechatNotifyRejection.UNREADABLE_NOTIFY, "resource is not a refund", null);
        }
        String mchId = string(resource, "mchid");
        if (!settings.mchId().equals(mchId)) {
            return rejected(WechatNotifyRejection.WRONG_MERCHANT, "for mchid " + abbreviate(mchId),
                    report.outTradeNo());
        }
        RefundState state = WechatStates.refund(report, receivedAt);
        if (state instanceof RefundState.Unknown unknown) {
            return rejected(WechatNotifyRejection.UNREADABLE_NOTIFY, unknown.reason(), report.outTradeNo());
        }
        return new VerifiedRefund(report.outRefundNo(), state);
    }

    private boolean signatureValid(String message, String signatureBase64) {
        PublicKey key = settings.publicKey();
        try {
            byte[] signature = Base64.getDecoder().decode(signatureBase64.strip());
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(message.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (IllegalArgumentException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA is unavailable", e);
        }
    }

    private @Nullable JsonObject decrypt(@Nullable Resource resource) {
        if (resource == null || !RESOURCE_ALGORITHM.equals(resource.getAlgorithm())
                || resource.getCiphertext() == null || resource.getNonce() == null || resource.getNonce().isEmpty()) {
            return null;
        }
        try {
            byte[] ciphertext = Base64.getDecoder().decode(resource.getCiphertext());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE,
                    new SecretKeySpec(settings.apiV3Key().getBytes(StandardCharsets.UTF_8), "AES"),
                    new GCMParameterSpec(GCM_TAG_BITS, resource.getNonce().getBytes(StandardCharsets.UTF_8)));
            if (resource.getAssociatedData() != null) {
                cipher.updateAAD(resource.getAssociatedData().getBytes(StandardCharsets.UTF_8));
            }
            JsonElement plaintext = JsonParser.parseString(new String(cipher.doFinal(ciphertext),
                    StandardCharsets.UTF_8));
            return plaintext.isJsonObject() ? plaintext.getAsJsonObject() : null;
        } catch (IllegalArgumentException | BadPaddingException | IllegalBlockSizeException | JsonParseException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is unavailable", e);
        }
    }

    private static @Nullable Notification envelope(String body) {
        try {
            return GSON.fromJson(body, Notification.class);
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static <T> @Nullable T read(JsonObject resource, Class<T> type) {
        try {
            return GSON.fromJson(resource, type);
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static @Nullable String string(JsonObject object, String member) {
        JsonElement element = object.get(member);
        return element != null && element.isJsonPrimitive() ? element.getAsString() : null;
    }

    private static @Nullable Instant epochSeconds(String timestamp) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.strip()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static Unverified rejected(WechatNotifyRejection rejection, String reason, @Nullable String claimed) {
        return new Unverified(rejection.name(), reason, claimed);
    }

    private static String abbreviate(@Nullable String text) {
        if (text == null) {
            return "(none)";
        }
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
