package kami.payment.channel.epay;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.PaymentState;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads an {@code act=order} answer. The answer is not signed, so only what it proves is believed: a paid or
 * pending order must echo this account's merchant id and the payment number asked about, and a refusal counts
 * as {@code NotFound} only when its message says the order does not exist. Everything else is {@code Unknown}.
 */
final class EpayOrderAnswer {

    /**
     * Messages providers give for an unknown order: 彩虹易支付 answers {@code code -1, "订单号不存在"}. Other
     * refusals (a wrong key, "商户不存在", rate limits) say nothing about the order.
     */
    private static final List<String> ORDER_MISSING = List.of("订单号不存在", "订单不存在", "order not found",
            "order does not exist", "order not exist");

    /** A message offering alternatives ("订单不存在或已完成") might mean a paid order; it is not taken as missing. */
    private static final List<String> ALTERNATIVES = List.of("或", " or ");

    private EpayOrderAnswer() {
    }

    static PaymentState read(JsonNode answer, ChannelPayment payment, EpaySettings settings,
            Function<@Nullable String, Instant> paidAt) {
        String code = EpayApi.text(answer, "code");
        if (!"1".equals(code)) {
            return saysOrderMissing(EpayApi.text(answer, "msg")) ? new PaymentState.NotFound()
                    : new PaymentState.Unknown("Epay refused the order query: " + EpayChannel.describe(answer));
        }
        if (!payment.paymentNo().equals(EpayApi.text(answer, "out_trade_no"))
                || !settings.pid().equals(EpayApi.text(answer, "pid"))) {
            return new PaymentState.Unknown("the Epay answer is about another order or merchant");
        }
        String status = EpayApi.text(answer, "status");
        if ("0".equals(status)) {
            return new PaymentState.Pending();
        }
        if (!"1".equals(status)) {
            // Forks add statuses of their own (refunded, frozen); Kami does not guess what they imply.
            return new PaymentState.Unknown("Epay reports order status " + status + ", which Kami does not know");
        }
        String tradeNo = EpayApi.text(answer, "trade_no");
        Money amount = EpayMoney.parse(EpayApi.text(answer, "money"));
        if (tradeNo == null || tradeNo.isBlank() || amount == null) {
            return new PaymentState.Unknown("Epay reports the order paid without a trade number or readable money");
        }
        return new PaymentState.Paid(tradeNo, amount, paidAt.apply(EpayApi.text(answer, "endtime")));
    }

    static boolean saysOrderMissing(@Nullable String message) {
        if (message == null) {
            return false;
        }
        String lowerCase = message.toLowerCase(Locale.ROOT);
        return ORDER_MISSING.stream().anyMatch(lowerCase::contains)
                && ALTERNATIVES.stream().noneMatch(lowerCase::contains);
    }
}
