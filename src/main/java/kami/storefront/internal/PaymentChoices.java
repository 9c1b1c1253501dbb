package kami.storefront.internal;

import java.util.List;
import java.util.Map;
import kami.payment.PaymentMethodView;
import kami.payment.Payments;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The ways to pay the order form offers: the gateway's usable paths, with names a buyer recognises. The sandbox
 * comes first, so the demo shop pays there by default.
 */
@Component
class PaymentChoices {

    /** One option of the form; {@code value} is {@code channel/method}. */
    record Choice(String value, String label) {
    }

    private static final Map<String, String> LABELS = Map.of(
            "sandbox", "Sandbox (demo payment)",
            "alipay.page", "Alipay",
            "alipay.wap", "Alipay (mobile)",
            "wechat.native", "WeChat Pay (QR code)",
            "epay.alipay", "Alipay",
            "epay.wxpay", "WeChat Pay",
            "epay.qqpay", "QQ Wallet",
            "wallet.balance", "Kami wallet (log in to pay)");

    private final Payments payments;

    PaymentChoices(Payments payments) {
        this.payments = payments;
    }

    List<Choice> available() {
        List<PaymentMethodView> methods = payments.availableMethods();
        return methods.stream()
                .sorted((a, b) -> Boolean.compare(!"sandbox".equals(a.channel()), !"sandbox".equals(b.channel())))
                .map(m -> new Choice(m.channel() + "/" + m.method(), label(m, methods)))
                .toList();
    }

    /** Splits a submitted {@code channel/method}; a value without a slash names a channel alone. */
    static PaymentMethodView parse(@Nullable String value) {
        String chosen = value == null || value.isBlank() ? "sandbox" : value.strip();
        int slash = chosen.indexOf('/');
        return slash < 0 ? new PaymentMethodView(chosen, "") : new PaymentMethodView(chosen.substring(0, slash),
                chosen.substring(slash + 1));
    }

    /** The method's name, with its channel account when two accounts offer the same kind of payment. */
    private static String label(PaymentMethodView method, List<PaymentMethodView> all) {
        String label = LABELS.getOrDefault(method.method(), method.method());
        long sameLabel = all.stream().filter(other -> LABELS.getOrDefault(other.method(), other.method())
                .equals(label)).count();
        return sameLabel > 1 ? label + " · " + method.channel() : label;
    }
}
