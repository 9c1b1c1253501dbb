package kami.payment.channel.alipay;

import com.alipay.api.domain.AlipayTradeFastpayRefundQueryModel;
import com.alipay.api.domain.AlipayTradeRefundModel;
import com.alipay.api.request.AlipayTradeFastpayRefundQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayTradeFastpayRefundQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.RefundState;
import kami.payment.channel.alipay.AlipayApi.Answered;
import kami.payment.channel.alipay.AlipayApi.NoAnswer;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * Refunds through {@code alipay.trade.refund}, idempotent at Alipay by {@code out_request_no} (Kami's refund
 * number), and their state through {@code alipay.trade.fastpay.refund.query}. Alipay gives refunds no number of
 * its own here, so {@code channelRefundNo} stays {@code null}.
 */
final class AlipayRefunds {

    /**
     * Signed refusals after which the refund certainly did not happen and will not on a retry. Everything else
     * ({@code ACQ.SYSTEM_ERROR}, {@code ACQ.DISCORDANT_REPEAT_REQUEST}, codes not listed) is {@code Unknown}: the
     * refund query tells what became of the refund number.
     */
    static final Set<String> REFUSALS = Set.of(
            "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", // more than what is left to refund
            "ACQ.TRADE_NOT_ALLOW_REFUND",
            "ACQ.SELLER_BALANCE_NOT_ENOUGH",
            "ACQ.TRADE_HAS_FINISHED",
            "ACQ.TRADE_HAS_CLOSE",
            "ACQ.TRADE_STATUS_ERROR",
            "ACQ.TRADE_NOT_EXIST",
            "ACQ.REASON_TRADE_BEEN_FREEZEN",
            "ACQ.REFUND_FEE_ERROR",
            "ACQ.INVALID_PARAMETER");
    /** Alipay's limit on {@code refund_reason}. */
    static final int REASON_LENGTH_MAX = 256;
    static final String REFUND_SUCCESS = "REFUND_SUCCESS";

    private final AlipayApi api;
    private final Clock clock;

    AlipayRefunds(AlipayApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    RefundState refund(ChannelRefund refund) {
        if (!AlipayFormats.CURRENCY.equals(refund.amount().currencyCode()) || refund.amount().amountMinor() <= 0) {
            return new RefundState.Failed("Alipay refunds positive CNY amounts only, not " + refund.amount());
        }
        AlipayTradeRefundModel model = new AlipayTradeRefundModel();
        model.setOutTradeNo(refund.paymentNo());
        model.setOutRequestNo(refund.refundNo());
        model.setRefundAmount(AlipayFormats.yuan(refund.amount()));
        if (!refund.reason().isBlank()) {
            String reason = refund.reason().strip();
            model.setRefundReason(reason.codePointCount(0, reason.length()) <= REASON_LENGTH_MAX ? reason
                    : reason.substring(0, reason.offsetByCodePoints(0, REASON_LENGTH_MAX)));
        }
        AlipayTradeRefundRequest request = new AlipayTradeRefundRequest();
        request.setBizModel(model);
        return switch (api.call(request)) {
            case NoAnswer<AlipayTradeRefundResponse> none -> new RefundState.Unknown(none.reason());
            case Answered<AlipayTradeRefundResponse> answered -> refunded(refund, answered);
        };
    }

    private RefundState refunded(ChannelRefund refund, Answered<AlipayTradeRefundResponse> answered) {
        AlipayTradeRefundResponse response = answered.response();
        if (!answered.succeeded()) {
            return answered.refusedWith(REFUSALS)
                    ? new RefundState.Failed(response.getSubCode() + ": " + response.getSubMsg())
                    : new RefundState.Unknown(answered.error());
        }
        if (!refund.paymentNo().equals(response.getOutTradeNo())) {
            return new RefundState.Unknown("Alipay refunded out_trade_no " + response.getOutTradeNo());
        }
        if ("Y".equals(response.getFundChange())) {
            return new RefundState.Succeeded(null, refund.amount(), at(response.getGmtRefundPay()));
        }
        // fund_change=N: this refund number was refunded before (a retry), or the money has not moved yet.
        // Alipay accepted the request either way, so anything short of a confirmed success is under way.
        return query(refund) instanceof RefundState.Succeeded succeeded ? succeeded
                : new RefundState.Processing(null);
    }

    RefundState query(ChannelRefund refund) {
        AlipayTradeFastpayRefundQueryModel model = new AlipayTradeFastpayRefundQueryModel();
        model.setOutTradeNo(refund.paymentNo());
        model.setOutRequestNo(refund.refundNo());
        model.setQueryOptions(List.of("gmt_refund_pay"));
        AlipayTradeFastpayRefundQueryRequest request = new AlipayTradeFastpayRefundQueryRequest();
        request.setBizModel(model);
        return switch (api.call(request)) {
            case NoAnswer<AlipayTradeFastpayRefundQueryResponse> none -> new RefundState.Unknown(none.reason());
            case Answered<AlipayTradeFastpayRefundQueryResponse> answered -> refundState(refund, answered);
        };
    }

    /**
     * Alipay answers a refund query with success even when it has no such refund, and then leaves the refund
     * fields out. That means the refund was not accepted, or not yet: a refund whose call timed out may still
     * be on its way. It is {@code Unknown}, not {@code Failed}, because the safe next step is to send the same
     * refund again with the same number (Alipay refunds it at most once), never to refund by other means.
     */
    private RefundState refundState(ChannelRefund refund, Answered<AlipayTradeFastpayRefundQueryResponse> answered) {
        AlipayTradeFastpayRefundQueryResponse response = answered.response();
        if (!answered.succeeded()) {
            return answered.refusedWith(AlipayChannel.TRADE_NOT_EXIST)
                    ? new RefundState.Failed("ACQ.TRADE_NOT_EXIST: Alipay has no trade " + refund.paymentNo())
                    : new RefundState.Unknown(answered.error());
        }
        if (differs(refund.paymentNo(), response.getOutTradeNo())
                || differs(refund.refundNo(), response.getOutRequestNo())) {
            return new RefundState.Unknown("Alipay answered about refund " + response.getOutTradeNo() + "/"
                    + response.getOutRequestNo());
        }
        String status = Objects.requireNonNullElse(response.getRefundStatus(), "");
        String refundAmount = response.getRefundAmount();
        if (status.isEmpty() && (refundAmount == null || refundAmount.isBlank())) {
            return new RefundState.Unknown("refund " + refund.refundNo() + " not found at Alipay: not accepted (yet);"
                    + " sending it again with the same refund number is safe");
        }
        // An empty refund_status with refund data is the older answer for a successful refund.
        if (!status.isEmpty() && !REFUND_SUCCESS.equals(status)) {
            return new RefundState.Processing(null);
        }
        Money amount = AlipayFormats.money(refundAmount);
        if (amount == null) {
            return new RefundState.Unknown("unreadable refund_amount '" + refundAmount + "'");
        }
        return new RefundState.Succeeded(null, amount, at(response.getGmtRefundPay()));
    }

    /** An echoed number may be left out, but when Alipay gives one it must be ours. */
    private static boolean differs(String ours, @Nullable String echoed) {
        return echoed != null && !echoed.isBlank() && !ours.equals(echoed);
    }

    private Instant at(@Nullable Date gmtRefundPay) {
        Instant at = AlipayFormats.instant(gmtRefundPay);
        return at == null ? clock.instant() : at;
    }
}
