package kami.payment.channel.alipay;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipaySignature;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.NotifyVerdict.Unverified;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.NotifyVerdict.VerifiedRefund;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * Reads Alipay's asynchronous notify ({@code trade_status_sync}, a form POST): signature first, then the
 * account it names, then its content. Only then does anything in it count.
 *
 * <p>Alipay reports refunds on the same notify: a refund leaves the trade {@code TRADE_SUCCESS} (part refunded)
 * or {@code TRADE_CLOSED} (all refunded) and adds {@code out_biz_no} (the refund's {@code out_request_no}),
 * {@code refund_fee} and {@code gmt_refund}. Such a notify is a refund verdict, not a payment one; note that
 * {@code refund_fee} is the total refunded on the trade so far, which equals this refund's amount only for the
 * first refund of a trade.
 */
final class AlipayNotifies {

    /** Why a notify is not believed, in the order they are checked. */
    enum Rejection {
        MALFORMED_NOTIFY, INVALID_SIGNATURE, WRONG_MERCHANT
    }

    static final String SIGN_TYPE = "RSA2";
    static final String CHARSET = "UTF-8";
    private static final String NOTIFY_TYPE = "trade_status_sync";

    private final AlipaySettings settings;

    AlipayNotifies(AlipaySettings settings) {
        this.settings = settings;
    }

    NotifyVerdict verify(InboundNotify notify) {
        Map<String, String> form;
        try {
            form = notify.form();
        } catch (IllegalArgumentException e) {
            return rejected(Rejection.MALFORMED_NOTIFY, "body is not a form: " + e.getMessage(), null);
        }
        String claimed = form.get("out_trade_no");
        if (form.isEmpty()) {
            return rejected(Rejection.MALFORMED_NOTIFY, "empty body", null);
        }
        String signatureProblem = signatureProblem(form);
        if (signatureProblem != null) {
            return rejected(Rejection.INVALID_SIGNATURE, signatureProblem, claimed);
        }
        if (!settings.appId().equals(form.get("app_id"))) {
            return rejected(Rejection.WRONG_MERCHANT, "app_id " + form.get("app_id") + " is not this account's",
                    claimed);
        }
        if (settings.sellerId() != null && !settings.sellerId().equals(form.get("seller_id"))) {
            return rejected(Rejection.WRONG_MERCHANT, "seller_id " + form.get("seller_id")
                    + " is not this account's", claimed);
        }
        try {
            return read(form, notify.receivedAt());
        } catch (Unreadable e) {
            return rejected(Rejection.MALFORMED_NOTIFY, e.getMessage(), claimed);
        }
    }

    /** Why the form is not signed by Alipay's key, or {@code null} when it is. */
    private @Nullable String signatureProblem(Map<String, String> form) {
        String sign = form.get("sign");
        if (sign == null || sign.isBlank()) {
            return "no sign";
        }
        if (!SIGN_TYPE.equals(form.get("sign_type"))) {
            return "sign_type " + form.get("sign_type") + " is not " + SIGN_TYPE;
        }
        try {
            // rsaCheckV1 removes sign and sign_type from the map it is given, hence the copy.
            boolean valid = AlipaySignature.rsaCheckV1(new HashMap<>(form), settings.alipayPublicKey(), CHARSET,
                    SIGN_TYPE);
            return valid ? null : "signature does not match Alipay's public key";
        } catch (AlipayApiException e) {
            return "signature unreadable: " + e.getMessage();
        }
    }

    private static NotifyVerdict read(Map<String, String> form, Instant receivedAt) throws Unreadable {
        if (!NOTIFY_TYPE.equals(form.get("notify_type"))) {
            throw new Unreadable("notify_type " + form.get("notify_type") + " is not " + NOTIFY_TYPE);
        }
        String paymentNo = required(form, "out_trade_no");
        String refundNo = form.get("out_biz_no");
        Money refunded = AlipayFormats.money(form.get("refund_fee"));
        if (refundNo != null && !refundNo.isBlank() && refunded != null) {
            Instant at = time(form, "gmt_refund", receivedAt);
            return new VerifiedRefund(refundNo, new RefundState.Succeeded(null, refunded, at));
        }
        String status = required(form, "trade_status");
        PaymentState state = switch (status) {
            case "TRADE_SUCCESS", "TRADE_FINISHED" -> new PaymentState.Paid(required(form, "trade_no"),
                    amount(form, "total_amount"), time(form, "gmt_payment", receivedAt));
            case "WAIT_BUYER_PAY" -> new PaymentState.Pending();
            case "TRADE_CLOSED" -> new PaymentState.Closed("TRADE_CLOSED");
            default -> throw new Unreadable("unknown trade_status " + status);
        };
        return new VerifiedPayment(paymentNo, state);
    }

    private static String required(Map<String, String> form, String name) throws Unreadable {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw new Unreadable("no " + name);
        }
        return value;
    }

    private static Money amount(Map<String, String> form, String name) throws Unreadable {
        Money money = AlipayFormats.money(form.get(name));
        if (money == null) {
            throw new Unreadable(name + " '" + form.get(name) + "' is not a positive yuan amount with at most two"
                    + " decimals");
        }
        return money;
    }

    /** The named time, or when the notify arrived if Alipay left it out; present but unreadable is an error. */
    private static Instant time(Map<String, String> form, String name, Instant fallback) throws Unreadable {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Instant instant = AlipayFormats.instant(value);
        if (instant == null) {
            throw new Unreadable(name + " '" + value + "' is not a Beijing time yyyy-MM-dd HH:mm:ss");
        }
        return instant;
    }

    private static Unverified rejected(Rejection rejection, String reason, @Nullable String claimedPaymentNo) {
        return new Unverified(rejection.name(), reason, claimedPaymentNo);
    }

    /** An authentic notify whose content Kami cannot read; it ends as {@code MALFORMED_NOTIFY}. */
    private static final class Unreadable extends Exception {

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
