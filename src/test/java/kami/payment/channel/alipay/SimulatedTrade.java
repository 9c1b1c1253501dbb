package kami.payment.channel.alipay;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One trade on the simulated Alipay's books. Guarded by the simulator's lock. */
final class SimulatedTrade {

    /** One accepted refund, by its {@code out_request_no}. */
    record Refund(String outRequestNo, BigDecimal amount, Instant at) {
    }

    final String outTradeNo;
    final String tradeNo;
    final BigDecimal totalAmount;
    final String subject;
    final String notifyUrl;
    final String returnUrl;
    final Instant createdAt;
    final @Nullable Instant expiresAt;
    String status = "WAIT_BUYER_PAY";
    @Nullable Instant paidAt;
    @Nullable Instant closedAt;
    final Map<String, Refund> refunds = new LinkedHashMap<>();

    SimulatedTrade(String outTradeNo, String tradeNo, BigDecimal totalAmount, String subject, String notifyUrl,
            String returnUrl, Instant createdAt, @Nullable Instant expiresAt) {
        this.outTradeNo = outTradeNo;
        this.tradeNo = tradeNo;
        this.totalAmount = totalAmount;
        this.subject = subject;
        this.notifyUrl = notifyUrl;
        this.returnUrl = returnUrl;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** Alipay closes an unpaid trade once its {@code time_expire} has passed. */
    void expireIfDue(Instant now) {
        if (status.equals("WAIT_BUYER_PAY") && expiresAt != null && !now.isBefore(expiresAt)) {
            status = "TRADE_CLOSED";
            closedAt = expiresAt;
        }
    }

    BigDecimal refunded() {
        return refunds.values().stream().map(Refund::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    AlipaySimulator.TradeView view() {
        return new AlipaySimulator.TradeView(outTradeNo, tradeNo, totalAmount.toPlainString(), status,
                refunded().toPlainString(), refunds.size());
    }

    /** The fields Alipay puts in a {@code trade_status_sync} notify about this trade. */
    Map<String, String> notifyFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("trade_no", tradeNo);
        fields.put("out_trade_no", outTradeNo);
        fields.put("trade_status", status);
        fields.put("total_amount", totalAmount.toPlainString());
        fields.put("subject", subject);
        fields.put("gmt_create", AlipaySimulator.beijing(createdAt));
        if (paidAt != null) {
            fields.put("buyer_id", AlipaySimulator.BUYER_ID);
            fields.put("buyer_logon_id", "kam***@example.com");
            fields.put("gmt_payment", AlipaySimulator.beijing(paidAt));
            fields.put("receipt_amount", totalAmount.toPlainString());
            fields.put("invoice_amount", totalAmount.toPlainString());
            fields.put("buyer_pay_amount", totalAmount.toPlainString());
            fields.put("point_amount", "0.00");
            fields.put("fund_bill_list", "[{\"amount\":\"" + totalAmount.toPlainString()
                    + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]");
        }
        if (closedAt != null) {
            fields.put("gmt_close", AlipaySimulator.beijing(closedAt));
        }
        return fields;
    }
}
