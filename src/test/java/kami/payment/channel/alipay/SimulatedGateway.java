package kami.payment.channel.alipay;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The business side of the simulated gateway: what {@code alipay.trade.*} does to the books once the request's
 * signature has been checked. Answers are the fields of the {@code <method>_response} object.
 */
final class SimulatedGateway {

    private static final Pattern YUAN = Pattern.compile("(0|[1-9][0-9]{0,9})(\\.[0-9]{1,2})?");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Map<String, SimulatedTrade> trades;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong(100_000);

    SimulatedGateway(Map<String, SimulatedTrade> trades, Clock clock) {
        this.trades = trades;
        this.clock = clock;
    }

    /** Opens the cashier for a signed page or wap pay request; the trade is created here. Null when all is well. */
    synchronized @Nullable String openPage(String method, Map<String, String> params, JsonNode biz) {
        String productCode = method.equals("alipay.trade.page.pay") ? "FAST_INSTANT_TRADE_PAY" : "QUICK_WAP_WAY";
        String outTradeNo = biz.path("out_trade_no").asString("");
        BigDecimal amount = yuan(biz.path("total_amount").asString(""));
        if (outTradeNo.isEmpty() || amount == null || biz.path("subject").asString("").isEmpty()) {
            return "ACQ.INVALID_PARAMETER";
        }
        if (!productCode.equals(biz.path("product_code").asString(""))) {
            return "ACQ.INVALID_PARAMETER";
        }
        Instant expiresAt = null;
        if (!biz.path("time_expire").asString("").isEmpty()) {
            expiresAt = beijing(biz.path("time_expire").asString());
            if (expiresAt == null) {
                return "ACQ.INVALID_PARAMETER";
            }
            if (!expiresAt.isAfter(clock.instant())) {
                return "ACQ.TRADE_HAS_CLOSE";
            }
        }
        SimulatedTrade existing = trades.get(outTradeNo);
        if (existing != null) {
            existing.expireIfDue(clock.instant());
            if (existing.totalAmount.compareTo(amount) != 0) {
                return "ACQ.CONTEXT_INCONSISTENT";
            }
            return existing.status.equals("WAIT_BUYER_PAY") ? null : "ACQ.TRADE_HAS_SUCCESS";
        }
        String tradeNo = TIME.format(LocalDateTime.ofInstant(clock.instant(), AlipaySimulator.BEIJING))
                .substring(0, 10).replace("-", "") + "22001" + sequence.incrementAndGet() + "0000";
        trades.put(outTradeNo, new SimulatedTrade(outTradeNo, tradeNo, amount, biz.path("subject").asString(),
                params.getOrDefault("notify_url", ""), params.getOrDefault("return_url", ""), clock.instant(),
                expiresAt));
        return null;
    }

    synchronized Map<String, Object> call(String method, JsonNode biz) {
        return switch (method) {
            case "alipay.trade.query" -> query(biz);
            case "alipay.trade.close" -> close(biz);
            case "alipay.trade.refund" -> refund(biz);
            case "alipay.trade.fastpay.refund.query" -> refundQuery(biz);
            default -> error("40004", "Business Failed", "isv.invalid-method", "不存在的方法名");
        };
    }

    private @Nullable SimulatedTrade trade(JsonNode biz) {
        SimulatedTrade trade = trades.get(biz.path("out_trade_no").asString(""));
        if (trade != null) {
            trade.expireIfDue(clock.instant());
        }
        return trade;
    }

    private Map<String, Object> query(JsonNode biz) {
        SimulatedTrade trade = trade(biz);
        if (trade == null) {
            return error("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在");
        }
        Map<String, Object> answer = success();
        answer.put("trade_no", trade.tradeNo);
        answer.put("out_trade_no", trade.outTradeNo);
        answer.put("trade_status", trade.status);
        answer.put("total_amount", trade.totalAmount.toPlainString());
        if (trade.paidAt != null) {
            answer.put("buyer_logon_id", "kam***@example.com");
            answer.put("buyer_user_id", AlipaySimulator.BUYER_ID);
            answer.put("buyer_pay_amount", trade.totalAmount.toPlainString());
            answer.put("receipt_amount", trade.totalAmount.toPlainString());
            answer.put("send_pay_date", AlipaySimulator.beijing(trade.paidAt));
        }
        return answer;
    }

    private Map<String, Object> close(JsonNode biz) {
        SimulatedTrade trade = trade(biz);
        if (trade == null) {
            return error("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在");
        }
        if (!trade.status.equals("WAIT_BUYER_PAY")) {
            return error("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
        }
        trade.status = "TRADE_CLOSED";
        trade.closedAt = clock.instant();
        Map<String, Object> answer = success();
        answer.put("trade_no", trade.tradeNo);
        answer.put("out_trade_no", trade.outTradeNo);
        return answer;
    }

    private Map<String, Object> refund(JsonNode biz) {
        SimulatedTrade trade = trade(biz);
        BigDecimal amount = yuan(biz.path("refund_amount").asString(""));
        if (amount == null) {
            return error("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "退款金额不合法");
        }
        if (trade == null) {
            return error("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在");
        }
        String outRequestNo = biz.path("out_request_no").asString(trade.outTradeNo);
        SimulatedTrade.Refund earlier = trade.refunds.get(outRequestNo);
        // Alipay deduplicates by out_request_no before it looks at the trade's state.
        if (earlier != null && earlier.amount().compareTo(amount) != 0) {
            return error("40004", "Business Failed", "ACQ.DISCORDANT_REPEAT_REQUEST", "请求信息不一致");
        }
        if (earlier == null) {
            if (trade.status.equals("TRADE_FINISHED")) {
                return error("40004", "Business Failed", "ACQ.TRADE_NOT_ALLOW_REFUND", "当前交易不允许退款");
            }
            if (!trade.status.equals("TRADE_SUCCESS")) {
                return error("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
            }
            if (trade.refunded().add(amount).compareTo(trade.totalAmount) > 0) {
                return error("40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
            }
            trade.refunds.put(outRequestNo, new SimulatedTrade.Refund(outRequestNo, amount, clock.instant()));
            if (trade.refunded().compareTo(trade.totalAmount) == 0) {
                trade.status = "TRADE_CLOSED";
                trade.closedAt = clock.instant();
            }
        }
        Map<String, Object> answer = success();
        answer.put("trade_no", trade.tradeNo);
        answer.put("out_trade_no", trade.outTradeNo);
        answer.put("buyer_logon_id", "kam***@example.com");
        answer.put("fund_change", earlier == null ? "Y" : "N");
        answer.put("refund_fee", trade.refunded().toPlainString());
        answer.put("gmt_refund_pay", AlipaySimulator.beijing(trade.refunds.get(outRequestNo).at()));
        return answer;
    }

    private Map<String, Object> refundQuery(JsonNode biz) {
        SimulatedTrade trade = trade(biz);
        if (trade == null) {
            return error("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在");
        }
        Map<String, Object> answer = success();
        String outRequestNo = biz.path("out_request_no").asString("");
        SimulatedTrade.Refund refund = trade.refunds.get(outRequestNo);
        if (refund == null) {
            // Alipay answers success without refund fields for a refund it does not have.
            return answer;
        }
        answer.put("trade_no", trade.tradeNo);
        answer.put("out_trade_no", trade.outTradeNo);
        answer.put("out_request_no", outRequestNo);
        answer.put("total_amount", trade.totalAmount.toPlainString());
        answer.put("refund_amount", refund.amount().toPlainString());
        answer.put("refund_status", "REFUND_SUCCESS");
        List<String> options = biz.path("query_options").valueStream().map(JsonNode::asString).toList();
        if (options.contains("gmt_refund_pay")) {
            answer.put("gmt_refund_pay", AlipaySimulator.beijing(refund.at()));
        }
        return answer;
    }

    static Map<String, Object> success() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", "10000");
        answer.put("msg", "Success");
        return answer;
    }

    static Map<String, Object> error(String code, String msg, String subCode, String subMsg) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", code);
        answer.put("msg", msg);
        answer.put("sub_code", subCode);
        answer.put("sub_msg", subMsg);
        return answer;
    }

    static @Nullable BigDecimal yuan(String text) {
        if (!YUAN.matcher(text).matches()) {
            return null;
        }
        BigDecimal amount = new BigDecimal(text);
        return amount.signum() > 0 ? amount : null;
    }

    static @Nullable Instant beijing(String text) {
        try {
            return LocalDateTime.parse(text, TIME).atZone(AlipaySimulator.BEIJING).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
