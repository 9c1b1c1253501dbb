package kami.storefront.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kami.payment.PaymentMethodView;
import kami.payment.Payments;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The ways to pay the order form offers: the gateway's usable paths, with names a buyer recognises, and one
 * choice per usable bank for online banking. The sandbox comes first, so the demo shop pays there by default.
 */
@Component
class PaymentChoices {

    /** One option of the form; {@code value} is {@code channel/method}, or {@code channel/method/bank}. */
    record Choice(String value, String label) {
    }

    /** A submitted choice; {@code method} and {@code bank} are null when the value leaves them out. */
    record Chosen(String channel, @Nullable String method, @Nullable String bank) {
    }

    private static final Map<String, String> LABELS = Map.of(
            "sandbox", "Sandbox (demo payment)",
            "sandbox.bank", "Online banking (sandbox)",
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
                .flatMap(m -> choices(m, label(m, methods)))
                .toList();
    }

    /** The method itself, or one choice per bank when the payer picks a bank. */
    private static Stream<Choice> choices(PaymentMethodView method, String label) {
        String value = method.channel() + "/" + method.method();
        if (method.banks().isEmpty()) {
            return Stream.of(new Choice(value, label));
        }
        return method.banks().stream().map(bank -> new Choice(value + "/" + bank, label + " · " + bank));
    }

    /** Splits a submitted {@code channel[/method[/bank]]}; a value without a slash names a channel alone. */
    static Chosen parse(@Nullable String value) {
        String chosen = value == null || value.isBlank() ? "sandbox" : value.strip();
        String[] parts = chosen.split("/", 3);
        return new Chosen(parts[0], part(parts, 1), part(parts, 2));
    }

    private static @Nullable String part(String[] parts, int index) {
        return parts.length > index && !parts[index].isBlank() ? parts[index] : null;
    }

    /** The method's name, with its channel account when two accounts offer the same kind of payment. */
    private static String label(PaymentMethodView method, List<PaymentMethodView> all) {
        String label = LABELS.getOrDefault(method.method(), method.method());
        long sameLabel = all.stream().filter(other -> LABELS.getOrDefault(other.method(), other.method())
                .equals(label)).count();
        return sameLabel > 1 ? label + " · " + method.channel() : label;
    }
}
