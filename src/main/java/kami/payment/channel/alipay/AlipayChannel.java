package kami.payment.channel.alipay;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayRequest;
import com.alipay.api.AlipayResponse;
import com.alipay.api.domain.AlipayTradeCloseModel;
import com.alipay.api.domain.AlipayTradePagePayModel;
import com.alipay.api.domain.AlipayTradeQueryModel;
import com.alipay.api.domain.AlipayTradeWapPayModel;
import com.alipay.api.request.AlipayTradeCloseRequest;
import com.alipay.api.request.AlipayTradePagePayRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeWapPayRequest;
import com.alipay.api.response.AlipayTradeCloseResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import kami.payment.channel.ChannelAccount;
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
import kami.payment.channel.alipay.AlipayApi.Answered;
import kami.payment.channel.alipay.AlipayApi.NoAnswer;
import kami.platform.Money;

/**
 * One Alipay application. Creating a payment only signs a URL (Alipay creates the trade when the payer opens
 * it), so until then Alipay answers {@code ACQ.TRADE_NOT_EXIST}, which is {@code NotFound}. {@code time_expire}
 * is sent with every payment, so Alipay itself refuses to take money after {@link ChannelPayment#expiresAt()}.
 */
final class AlipayChannel implements PaymentChannel {

    static final String METHOD_PAGE = "alipay.page";
    static final String METHOD_WAP = "alipay.wap";
    /** Alipay's limit on {@code subject}. */
    static final int SUBJECT_LENGTH_MAX = 256;
    static final String TRADE_NOT_EXIST = "ACQ.TRADE_NOT_EXIST";
    static final String TRADE_STATUS_ERROR = "ACQ.TRADE_STATUS_ERROR";

    private final ChannelAccount account;
    private final AlipayClient client;
    private final AlipayApi api;
    private final AlipayNotifies notifies;
    private final AlipayRefunds refunds;
    private final Clock clock;

    AlipayChannel(ChannelAccount account, AlipaySettings settings, AlipayClient client, Clock clock) {
        this.account = account;
        this.client = client;
        this.api = new AlipayApi(client);
        this.notifies = new AlipayNotifies(settings);
        this.refunds = new AlipayRefunds(api, clock);
        this.clock = clock;
    }

    @Override
    public CreatedPayment create(ChannelPayment payment) throws ChannelException {
        Money amount = payment.amount();
        if (!AlipayFormats.CURRENCY.equals(amount.currencyCode()) || amount.amountMinor() <= 0) {
            throw new ChannelException("Alipay takes positive CNY amounts only, not " + amount, false);
        }
        if (!payment.expiresAt().isAfter(clock.instant())) {
            throw new ChannelException("payment " + payment.paymentNo() + " expired at " + payment.expiresAt()
                    + ", before it reached Alipay", false);
        }
        AlipayRequest<? extends AlipayResponse> request = switch (payment.method()) {
            case METHOD_PAGE -> pagePay(payment);
            case METHOD_WAP -> wapPay(payment);
            default -> throw new ChannelException("Alipay has no method " + payment.method(), false);
        };
        try {
            // GET signs the request into a URL on the gateway; nothing is sent until the payer opens it.
            return new CreatedPayment(client.pageExecute(request, "GET").getBody());
        } catch (AlipayApiException e) {
            throw new ChannelException("Alipay pay page could not be signed: " + e.getMessage(), false, e);
        }
    }

    private AlipayTradePagePayRequest pagePay(ChannelPayment payment) {
        AlipayTradePagePayModel model = new AlipayTradePagePayModel();
        model.setOutTradeNo(payment.paymentNo());
        model.setTotalAmount(AlipayFormats.yuan(payment.amount()));
        model.setSubject(subject(payment));
        model.setProductCode("FAST_INSTANT_TRADE_PAY");
        model.setTimeExpire(AlipayFormats.time(payment.expiresAt()));
        AlipayTradePagePayRequest request = new AlipayTradePagePayRequest();
        request.setBizModel(model);
        request.setNotifyUrl(account.notifyUrl().toString());
        request.setReturnUrl(payment.returnUrl());
        return request;
    }

    private AlipayTradeWapPayRequest wapPay(ChannelPayment payment) {
        AlipayTradeWapPayModel model = new AlipayTradeWapPayModel();
        model.setOutTradeNo(payment.paymentNo());
        model.setTotalAmount(AlipayFormats.yuan(payment.amount()));
        model.setSubject(subject(payment));
        model.setProductCode("QUICK_WAP_WAY");
        model.setTimeExpire(AlipayFormats.time(payment.expiresAt()));
        // Where a payer who leaves the mobile cashier half-way goes back to.
        model.setQuitUrl(payment.returnUrl());
        AlipayTradeWapPayRequest request = new AlipayTradeWapPayRequest();
        request.setBizModel(model);
        request.setNotifyUrl(account.notifyUrl().toString());
        request.setReturnUrl(payment.returnUrl());
        return request;
    }

    private static String subject(ChannelPayment payment) {
        String subject = payment.subject().isBlank() ? payment.paymentNo() : payment.subject().strip();
        if (subject.codePointCount(0, subject.length()) <= SUBJECT_LENGTH_MAX) {
            return subject;
        }
        return subject.substring(0, subject.offsetByCodePoints(0, SUBJECT_LENGTH_MAX));
    }

    @Override
    public NotifyVerdict verify(InboundNotify notify) {
        return notifies.verify(notify);
    }

    /** Alipay stops resending only on exactly these seven characters. */
    @Override
    public NotifyReply acknowledge() {
        return NotifyReply.text(200, "success");
    }

    /** Anything but {@code success} makes Alipay resend (about 8 times over 25 hours). */
    @Override
    public NotifyReply refuse(String reason) {
        return NotifyReply.text(400, "fail");
    }

    @Override
    public PaymentState query(ChannelPayment payment) {
        AlipayTradeQueryModel model = new AlipayTradeQueryModel();
        model.setOutTradeNo(payment.paymentNo());
        AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
        request.setBizModel(model);
        return switch (api.call(request)) {
            case NoAnswer<AlipayTradeQueryResponse> none -> new PaymentState.Unknown(none.reason());
            case Answered<AlipayTradeQueryResponse> answered -> tradeState(payment, answered);
        };
    }

    private PaymentState tradeState(ChannelPayment payment, Answered<AlipayTradeQueryResponse> answered) {
        AlipayTradeQueryResponse response = answered.response();
        if (!answered.succeeded()) {
            return answered.refusedWith(TRADE_NOT_EXIST) ? new PaymentState.NotFound()
                    : new PaymentState.Unknown(answered.error());
        }
        if (!payment.paymentNo().equals(response.getOutTradeNo())) {
            return new PaymentState.Unknown("Alipay answered about out_trade_no " + response.getOutTradeNo());
        }
        String status = Objects.requireNonNullElse(response.getTradeStatus(), "");
        return switch (status) {
            case "WAIT_BUYER_PAY" -> new PaymentState.Pending();
            case "TRADE_SUCCESS", "TRADE_FINISHED" -> paid(response);
            // A full refund closes a paid trade too; the payment still happened, and Paid is final.
            case "TRADE_CLOSED" -> response.getSendPayDate() != null ? paid(response)
                    : new PaymentState.Closed("TRADE_CLOSED");
            default -> new PaymentState.Unknown("unknown trade_status '" + status + "'");
        };
    }

    private PaymentState paid(AlipayTradeQueryResponse response) {
        Money amount = AlipayFormats.money(response.getTotalAmount());
        String tradeNo = response.getTradeNo();
        if (amount == null || tradeNo == null || tradeNo.isBlank()) {
            return new PaymentState.Unknown("paid trade without trade_no or a readable total_amount ("
                    + response.getTotalAmount() + ")");
        }
        Instant paidAt = AlipayFormats.instant(response.getSendPayDate());
        return new PaymentState.Paid(tradeNo, amount, paidAt == null ? clock.instant() : paidAt);
    }

    @Override
    public PaymentState close(ChannelPayment payment) {
        AlipayTradeCloseModel model = new AlipayTradeCloseModel();
        model.setOutTradeNo(payment.paymentNo());
        AlipayTradeCloseRequest request = new AlipayTradeCloseRequest();
        request.setBizModel(model);
        return switch (api.call(request)) {
            case NoAnswer<AlipayTradeCloseResponse> none -> new PaymentState.Unknown(none.reason());
            case Answered<AlipayTradeCloseResponse> answered -> closed(payment, answered);
        };
    }

    private PaymentState closed(ChannelPayment payment, Answered<AlipayTradeCloseResponse> answered) {
        if (answered.succeeded()) {
            String echoed = answered.response().getOutTradeNo();
            return payment.paymentNo().equals(echoed) ? new PaymentState.Closed("closed at Kami's request")
                    : new PaymentState.Unknown("Alipay closed out_trade_no " + echoed);
        }
        if (answered.refusedWith(TRADE_NOT_EXIST)) {
            // The payer never opened the pay page; time_expire keeps Alipay from taking money later.
            return new PaymentState.NotFound();
        }
        if (TRADE_STATUS_ERROR.equals(answered.response().getSubCode())) {
            // Paid, or closed already: the trade's own state is the answer, whatever this refusal claims.
            return query(payment);
        }
        return new PaymentState.Unknown(answered.error());
    }

    @Override
    public RefundState refund(ChannelRefund refund) {
        return refunds.refund(refund);
    }

    @Override
    public RefundState queryRefund(ChannelRefund refund) {
        return refunds.query(refund);
    }
}
