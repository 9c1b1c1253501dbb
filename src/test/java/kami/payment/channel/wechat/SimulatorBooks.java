package kami.payment.channel.wechat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import kami.payment.channel.wechat.WechatPaySimulator.RefundRecord;
import kami.payment.channel.wechat.WechatPaySimulator.Trade;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The simulated merchant ledger at WeChat Pay: trades and refunds, with the rules WeChat Pay enforces (parameter
 * formats, idempotency by out_trade_no and out_refund_no, never more refunded than paid). Answers are status plus
 * JSON body; the simulator signs and sends them.
 */
final class SimulatorBooks {

    record Answer(int status, @Nullable Map<String, Object> body) {

        static Answer ok(Map<String, Object> body) {
            return new Answer(200, body);
        }

        static Answer noContent() {
            return new Answer(204, null);
        }

        static Answer error(int status, String code, String message) {
            return new Answer(status, json("code", code, "message", message));
        }
    }

    private static final Pattern OUT_TRADE_NO = Pattern.compile("[A-Za-z0-9_\\-|*]{6,32}");
    private static final Pattern OUT_REFUND_NO = Pattern.compile("[A-Za-z0-9_\\-|*@]{1,64}");
    private static final int DESCRIPTION_BYTES_MAX = 127;

    private final String mchId;
    private final String appId;
    private final Map<String, Trade> trades = new LinkedHashMap<>();
    private final Map<String, RefundRecord> refunds = new LinkedHashMap<>();

    SimulatorBooks(String mchId, String appId) {
        this.mchId = mchId;
        this.appId = appId;
    }

    synchronized Answer prepay(JsonNode request) {
        String outTradeNo = text(request, "out_trade_no");
        String description = text(request, "description");
        String notifyUrl = text(request, "notify_url");
        String timeExpire = text(request, "time_expire");
        JsonNode total = request.path("amount").path("total");
        String currency = text(request.path("amount"), "currency");
        if (!mchId.equals(text(request, "mchid"))) {
            return Answer.error(400, "INVALID_REQUEST", "mchid does not match the Authorization header");
        }
        if (!appId.equals(text(request, "appid"))) {
            return Answer.error(400, "APPID_MCHID_NOT_MATCH", "appid and mchid do not match");
        }
        if (outTradeNo == null || !OUT_TRADE_NO.matcher(outTradeNo).matches()) {
            return Answer.error(400, "PARAM_ERROR", "out_trade_no must be 6 to 32 of [A-Za-z0-9_-|*]");
        }
        if (description == null || description.isEmpty()
                || description.getBytes(StandardCharsets.UTF_8).length > DESCRIPTION_BYTES_MAX) {
            return Answer.error(400, "PARAM_ERROR", "description must be 1 to 127 bytes");
        }
        if (!validNotifyUrl(notifyUrl)) {
            return Answer.error(400, "PARAM_ERROR", "notify_url must be an absolute URL without a query");
        }
        if (!total.isIntegralNumber() || total.asLong() < 1 || (currency != null && !"CNY".equals(currency))) {
            return Answer.error(400, "PARAM_ERROR", "amount.total must be a positive number of fen in CNY");
        }
        if (timeExpire != null && !isRfc3339(timeExpire)) {
            return Answer.error(400, "PARAM_ERROR", "time_expire must be RFC 3339, e.g. 2018-06-08T10:34:56+08:00");
        }
        Trade existing = trades.get(outTradeNo);
        if (existing != null) {
            return repeatedPrepay(existing, description, total.asLong(), notifyUrl);
        }
        String codeUrl = "weixin://wxpay/bizpayurl?pr=" + SimulatorCrypto.randomAlphanumeric(7);
        trades.put(outTradeNo, new Trade(outTradeNo, appId, description, total.asLong(), notifyUrl, codeUrl,
                timeExpire, "NOTPAY", null, null));
        return Answer.ok(json("code_url", codeUrl));
    }

    private static Answer repeatedPrepay(Trade existing, String description, long totalFen, String notifyUrl) {
        if (!existing.description().equals(description) || existing.totalFen() != totalFen
                || !existing.notifyUrl().equals(notifyUrl)) {
            return Answer.error(403, "OUT_TRADE_NO_USED", "out_trade_no was used with other parameters");
        }
        return switch (existing.state()) {
            case "NOTPAY" -> Answer.ok(json("code_url", existing.codeUrl()));
            case "CLOSED" -> Answer.error(400, "ORDER_CLOSED", "the order is closed");
            default -> Answer.error(400, "ORDERPAID", "the order is paid");
        };
    }

    synchronized Answer queryTrade(String outTradeNo, @Nullable String mchIdParameter, Instant now) {
        if (!mchId.equals(mchIdParameter)) {
            return Answer.error(400, "PARAM_ERROR", "mchid must be this merchant's");
        }
        Trade trade = expire(outTradeNo, now);
        if (trade == null) {
            return Answer.error(404, "ORDER_NOT_EXIST", "order does not exist");
        }
        return Answer.ok(transactionJson(trade, mchId));
    }

    /** Like WeChat Pay, a close of an unknown or closed order answers 204; only a paid order refuses. */
    synchronized Answer close(String outTradeNo, JsonNode request, Instant now) {
        if (!mchId.equals(text(request, "mchid"))) {
            return Answer.error(400, "PARAM_ERROR", "mchid must be this merchant's");
        }
        Trade trade = expire(outTradeNo, now);
        if (trade == null || trade.state().equals("CLOSED")) {
            return Answer.noContent();
        }
        if (!trade.state().equals("NOTPAY")) {
            return Answer.error(400, "ORDERPAID", "the order is paid");
        }
        trades.put(outTradeNo, trade.withState("CLOSED", null, null));
        return Answer.noContent();
    }

    synchronized Answer refund(JsonNode request, Instant now) {
        String outTradeNo = text(request, "out_trade_no");
        String outRefundNo = text(request, "out_refund_no");
        JsonNode refund = request.path("amount").path("refund");
        JsonNode total = request.path("amount").path("total");
        if (outTradeNo == null || outRefundNo == null || !OUT_REFUND_NO.matcher(outRefundNo).matches()
                || !refund.isIntegralNumber() || !total.isIntegralNumber() || refund.asLong() < 1
                || !"CNY".equals(text(request.path("amount"), "currency"))) {
            return Answer.error(400, "PARAM_ERROR", "out_trade_no, out_refund_no and amount in CNY are required");
        }
        RefundRecord existing = refunds.get(outRefundNo);
        if (existing != null) {
            return existing.outTradeNo().equals(outTradeNo) && existing.refundFen() == refund.asLong()
                    ? Answer.ok(refundJson(existing))
                    : Answer.error(400, "INVALID_REQUEST", "out_refund_no was used with other parameters");
        }
        Trade trade = trades.get(outTradeNo);
        if (trade == null) {
            return Answer.error(404, "RESOURCE_NOT_EXISTS", "order does not exist");
        }
        if (trade.transactionId() == null) {
            return Answer.error(400, "INVALID_REQUEST", "the order is not paid");
        }
        if (total.asLong() != trade.totalFen()) {
            return Answer.error(400, "PARAM_ERROR", "amount.total differs from the order's");
        }
        if (refunded(outTradeNo) + refund.asLong() > trade.totalFen()) {
            return Answer.error(400, "INVALID_REQUEST", "refund exceeds the order's refundable amount");
        }
        RefundRecord created = new RefundRecord(outRefundNo, outTradeNo, "50" + SimulatorCrypto.randomDigits(27),
                refund.asLong(), "PROCESSING", text(request, "notify_url"), now, null);
        refunds.put(outRefundNo, created);
        trades.put(outTradeNo, trade.withState("REFUND", trade.transactionId(), trade.successTime()));
        return Answer.ok(refundJson(created));
    }

    synchronized Answer queryRefund(String outRefundNo) {
        RefundRecord refund = refunds.get(outRefundNo);
        return refund == null ? Answer.error(404, "RESOURCE_NOT_EXISTS", "refund does not exist")
                : Answer.ok(refundJson(refund));
    }

    synchronized Trade markPaid(String outTradeNo, Instant now) {
        Trade trade = trades.get(outTradeNo);
        if (trade == null || !trade.state().equals("NOTPAY")) {
            throw new IllegalStateException("no open trade " + outTradeNo + ": " + trade);
        }
        Trade paid = trade.withState("SUCCESS", "42" + SimulatorCrypto.randomDigits(26), now);
        trades.put(outTradeNo, paid);
        return paid;
    }

    synchronized RefundRecord finishRefund(String outRefundNo, String status, Instant now) {
        RefundRecord refund = refunds.get(outRefundNo);
        if (refund == null || !refund.status().equals("PROCESSING")) {
            throw new IllegalStateException("no refund under way " + outRefundNo + ": " + refund);
        }
        RefundRecord finished = refund.withStatus(status, status.equals("SUCCESS") ? now : null);
        refunds.put(outRefundNo, finished);
        return finished;
    }

    synchronized Optional<Trade> trade(String outTradeNo) {
        return Optional.ofNullable(trades.get(outTradeNo));
    }

    synchronized Optional<RefundRecord> refundRecord(String outRefundNo) {
        return Optional.ofNullable(refunds.get(outRefundNo));
    }

    synchronized List<RefundRecord> refundsOf(String outTradeNo) {
        return new ArrayList<>(refunds.values().stream().filter(r -> r.outTradeNo().equals(outTradeNo)).toList());
    }

    synchronized void clear() {
        trades.clear();
        refunds.clear();
    }

    static Map<String, Object> transactionJson(Trade trade, String mchId) {
        Map<String, Object> json = json("appid", trade.appId(), "mchid", mchId, "out_trade_no", trade.outTradeNo(),
                "trade_type", "NATIVE", "trade_state", trade.state(), "trade_state_desc", trade.state(),
                "amount", json("total", trade.totalFen(), "currency", "CNY", "payer_currency", "CNY"));
        if (trade.transactionId() != null) {
            json.put("transaction_id", trade.transactionId());
            json.put("bank_type", "OTHERS");
            json.put("success_time", WechatStates.rfc3339(trade.successTime()));
            json.put("payer", json("openid", "o" + trade.transactionId().substring(0, 12)));
            json.put("amount", json("total", trade.totalFen(), "payer_total", trade.totalFen(), "currency", "CNY",
                    "payer_currency", "CNY"));
        }
        return json;
    }

    Map<String, Object> refundJson(RefundRecord refund) {
        Trade trade = trades.get(refund.outTradeNo());
        Map<String, Object> json = json("refund_id", refund.refundId(), "out_refund_no", refund.outRefundNo(),
                "transaction_id", trade.transactionId(), "out_trade_no", refund.outTradeNo(), "channel", "ORIGINAL",
                "user_received_account", "支付用户零钱", "create_time", WechatStates.rfc3339(refund.createdAt()),
                "status", refund.status(), "funds_account", "AVAILABLE",
                "amount", json("total", trade.totalFen(), "refund", refund.refundFen(), "payer_total",
                        trade.totalFen(), "payer_refund", refund.refundFen(), "settlement_refund",
                        refund.refundFen(), "settlement_total", trade.totalFen(), "discount_refund", 0,
                        "currency", "CNY", "from", List.of()));
        if (refund.successTime() != null) {
            json.put("success_time", WechatStates.rfc3339(refund.successTime()));
        }
        return json;
    }

    private @Nullable Trade expire(String outTradeNo, Instant now) {
        Trade trade = trades.get(outTradeNo);
        if (trade != null && trade.state().equals("NOTPAY") && trade.timeExpire() != null
                && OffsetDateTime.parse(trade.timeExpire()).toInstant().isBefore(now)) {
            trade = trade.withState("CLOSED", null, null);
            trades.put(outTradeNo, trade);
        }
        return trade;
    }

    private long refunded(String outTradeNo) {
        return refunds.values().stream().filter(r -> r.outTradeNo().equals(outTradeNo))
                .filter(r -> r.status().equals("PROCESSING") || r.status().equals("SUCCESS"))
                .mapToLong(RefundRecord::refundFen).sum();
    }

    private static boolean validNotifyUrl(@Nullable String url) {
        try {
            URI uri = url == null ? null : new URI(url);
            return uri != null && uri.isAbsolute() && uri.getHost() != null && uri.getRawQuery() == null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean isRfc3339(String text) {
        try {
            OffsetDateTime.parse(text);
            return text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([+-]\\d{2}:\\d{2}|Z)");
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : null;
    }

    static Map<String, Object> json(Object... namesAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return json;
    }
}
