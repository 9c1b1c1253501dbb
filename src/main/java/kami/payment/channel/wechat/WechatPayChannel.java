package kami.payment.channel.wechat;

import com.google.gson.JsonObject;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayResponse;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import java.net.URI;
import java.time.Clock;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.CreatedPayment;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.PaymentChannel;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import kami.payment.channel.wechat.WechatStates.RefundReport;

/**
 * One WeChat Pay merchant account. Every call goes through the official SDK, which signs the request with the
 * merchant key and rejects any response not signed with the WeChat Pay public key; such a rejection, like a timeout
 * or a 5xx, is an unknown outcome here, never a failure.
 */
final class WechatPayChannel implements PaymentChannel {

    static final String NATIVE = "wechat.native";
    /** WeChat Pay limits description to 127 bytes and a refund reason to 80 characters. */
    static final int DESCRIPTION_BYTES_MAX = 127;
    static final int REFUND_REASON_CHARS_MAX = 80;
    static final int REFUSAL_MESSAGE_CHARS_MAX = 200;

    private final WechatPaySettings settings;
    private final URI notifyUrl;
    private final Clock clock;
    private final NativePayService nativePay;
    private final RefundService refunds;
    private final WechatNotifyVerifier notifies;

    WechatPayChannel(WechatPaySettings settings, URI notifyUrl, Clock clock) {
        this.settings = settings;
        this.notifyUrl = notifyUrl;
        this.clock = clock;
        RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
                .merchantId(settings.mchId())
                .privateKey(settings.privateKey())
                .merchantSerialNumber(settings.merchantSerialNumber())
                .apiV3Key(settings.apiV3Key())
                .publicKeyId(settings.publicKeyId())
                .publicKey(settings.publicKey())
                .build();
        HttpClient http = new DefaultHttpClientBuilder().config(config).okHttpClient(WechatHttp.client(settings))
                .build();
        this.nativePay = new NativePayService.Builder().httpClient(http).build();
        this.refunds = new RefundService.Builder().httpClient(http).build();
        this.notifies = new WechatNotifyVerifier(settings);
    }

    @Override
    public CreatedPayment create(ChannelPayment payment) throws ChannelException {
        requireCreatable(payment);
        PrepayRequest request = new PrepayRequest();
        request.setAppid(settings.appId());
        request.setMchid(settings.mchId());
        request.setDescription(truncateUtf8(payment.subject(), DESCRIPTION_BYTES_MAX));
        request.setOutTradeNo(payment.paymentNo());
        request.setNotifyUrl(notifyUrl.toString());
        request.setTimeExpire(WechatStates.rfc3339(payment.expiresAt()));
        Amount amount = new Amount();
        amount.setTotal(Math.toIntExact(payment.amount().amountMinor()));
        amount.setCurrency(WechatStates.CURRENCY);
        request.setAmount(amount);
        PrepayResponse response;
        try {
            response = WechatCallFailed.call(() -> nativePay.prepay(request));
        } catch (WechatCallFailed e) {
            throw new ChannelException("WeChat Pay prepay of " + payment.paymentNo() + ": " + e.getMessage(),
                    !e.refused(), e);
        }
        String codeUrl = response.getCodeUrl();
        if (codeUrl == null || codeUrl.isBlank()) {
            throw new ChannelException("WeChat Pay prepay of " + payment.paymentNo() + " answered without code_url",
                    true);
        }
        return new CreatedPayment(codeUrl);
    }

    private static void requireCreatable(ChannelPayment payment) throws ChannelException {
        if (!NATIVE.equals(payment.method())) {
            throw new ChannelException("WeChat Pay offers only " + NATIVE + ", not " + payment.method(), false);
        }
        if (!WechatStates.CURRENCY.equals(payment.amount().currencyCode())) {
            throw new ChannelException("WeChat Pay takes CNY only, not " + payment.amount().currencyCode(), false);
        }
        long fen = payment.amount().amountMinor();
        if (fen < 1 || fen > Integer.MAX_VALUE) {
            throw new ChannelException("WeChat Pay takes 1 to " + Integer.MAX_VALUE + " fen, not " + fen, false);
        }
    }

    @Override
    public NotifyVerdict verify(InboundNotify notify) {
        return notifies.verify(notify);
    }

    /** WeChat Pay takes any 200 or 204 as received; 204 carries no body, as documented. */
    @Override
    public NotifyReply acknowledge() {
        return NotifyReply.text(204, "");
    }

    /** Any other status makes WeChat Pay send the notify again, on its schedule of about 24 hours. */
    @Override
    public NotifyReply refuse(String reason) {
        JsonObject body = new JsonObject();
        body.addProperty("code", "FAIL");
        body.addProperty("message", reason.length() > REFUSAL_MESSAGE_CHARS_MAX
                ? reason.substring(0, REFUSAL_MESSAGE_CHARS_MAX) : reason);
        return new NotifyReply(500, "application/json", body.toString());
    }

    @Override
    public PaymentState query(ChannelPayment payment) {
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(settings.mchId());
        request.setOutTradeNo(payment.paymentNo());
        Transaction transaction;
        try {
            transaction = WechatCallFailed.call(() -> nativePay.queryOrderByOutTradeNo(request));
        } catch (WechatCallFailed e) {
            if (e.is(404, "ORDER_NOT_EXIST")) {
                return new PaymentState.NotFound();
            }
            return new PaymentState.Unknown("WeChat Pay query: " + e.getMessage());
        }
        if (!payment.paymentNo().equals(transaction.getOutTradeNo())
                || !settings.mchId().equals(transaction.getMchid())) {
            return new PaymentState.Unknown("WeChat Pay answered about out_trade_no " + transaction.getOutTradeNo()
                    + " of mchid " + transaction.getMchid());
        }
        return WechatStates.payment(transaction, clock.instant());
    }

    /**
     * WeChat Pay answers 204 to a close even for an order it does not know, so only the query after it tells what
     * happened. An order that still reads open after the close attempt is Unknown: the close may not have taken.
     */
    @Override
    public PaymentState close(ChannelPayment payment) {
        CloseOrderRequest request = new CloseOrderRequest();
        request.setMchid(settings.mchId());
        request.setOutTradeNo(payment.paymentNo());
        String closeFailure = null;
        try {
            WechatCallFailed.run(() -> nativePay.closeOrder(request));
        } catch (WechatCallFailed e) {
            // An order already paid refuses the close; the query below reports it as paid.
            closeFailure = e.getMessage();
        }
        PaymentState state = query(payment);
        if (state instanceof PaymentState.Pending) {
            return new PaymentState.Unknown("WeChat Pay still reports the order open after closing it"
                    + (closeFailure == null ? "" : " (close: " + closeFailure + ")"));
        }
        return state;
    }

    @Override
    public RefundState refund(ChannelRefund refund) {
        if (!WechatStates.CURRENCY.equals(refund.amount().currencyCode())
                || !WechatStates.CURRENCY.equals(refund.paymentAmount().currencyCode())) {
            return new RefundState.Failed("WeChat Pay refunds CNY only");
        }
        CreateRequest request = new CreateRequest();
        request.setOutTradeNo(refund.paymentNo());
        request.setOutRefundNo(refund.refundNo());
        request.setNotifyUrl(notifyUrl.toString());
        if (!refund.reason().isBlank()) {
            request.setReason(refund.reason().length() > REFUND_REASON_CHARS_MAX
                    ? refund.reason().substring(0, REFUND_REASON_CHARS_MAX) : refund.reason());
        }
        AmountReq amount = new AmountReq();
        amount.setRefund(refund.amount().amountMinor());
        amount.setTotal(refund.paymentAmount().amountMinor());
        amount.setCurrency(WechatStates.CURRENCY);
        request.setAmount(amount);
        try {
            return refundState(refund, WechatCallFailed.call(() -> refunds.create(request)));
        } catch (WechatCallFailed e) {
            // A refusal is final for this request only: the same out_refund_no may be sent again later.
            return e.refused() ? new RefundState.Failed("WeChat Pay refused the refund: " + e.getMessage())
                    : new RefundState.Unknown("WeChat Pay refund: " + e.getMessage());
        }
    }

    /**
     * A refund WeChat Pay does not know is Unknown, not Failed: its create call may have timed out on the way, or
     * still be under way. Sending {@link #refund} again with the same refund number settles it, since WeChat Pay
     * keeps refunds idempotent by out_refund_no.
     */
    @Override
    public RefundState queryRefund(ChannelRefund refund) {
        QueryByOutRefundNoRequest request = new QueryByOutRefundNoRequest();
        request.setOutRefundNo(refund.refundNo());
        try {
            return refundState(refund, WechatCallFailed.call(() -> refunds.queryByOutRefundNo(request)));
        } catch (WechatCallFailed e) {
            if (e.is(404, "RESOURCE_NOT_EXISTS")) {
                return new RefundState.Unknown("REFUND_NOT_FOUND: WeChat Pay has no refund " + refund.refundNo()
                        + "; send it again with the same refund number");
            }
            return new RefundState.Unknown("WeChat Pay refund query: " + e.getMessage());
        }
    }

    private RefundState refundState(ChannelRefund refund, Refund answer) {
        RefundReport report = RefundReport.of(answer);
        if (!refund.refundNo().equals(report.outRefundNo()) || !refund.paymentNo().equals(report.outTradeNo())) {
            return new RefundState.Unknown("WeChat Pay answered about out_refund_no " + report.outRefundNo()
                    + " of out_trade_no " + report.outTradeNo());
        }
        return WechatStates.refund(report, clock.instant());
    }

    /** Cuts at a character boundary so that the text stays valid UTF-8. */
    static String truncateUtf8(String text, int bytesMax) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > bytesMax) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }
}
