package kami.payment.channel.epay;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import kami.platform.Money;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One Epay account. What the classic protocol cannot do shapes three operations:
 * <ul>
 * <li>{@link #close} has no call behind it: the protocol cannot close an order, so close answers what
 * {@link #query} answers. A pending order stays payable at the provider, and so does the signed pay URL, which
 * carries no expiry; the gateway must be ready for a success after it gave up on a payment.</li>
 * <li>{@link #refund} is not idempotent: {@code act=refund} takes no refund number, so every call that reaches
 * the provider refunds again (up to the paid amount). A refund whose outcome was {@code Unknown} must not be
 * sent again blindly: the gateway should first find out what happened, from the order query where a provider
 * shows refunds there, otherwise from the provider's merchant console, and only then send it again.</li>
 * <li>{@link #queryRefund} has no call behind it either, and always answers {@code Unknown}.</li>
 * </ul>
 */
final class EpayChannel implements PaymentChannel {

    static final String TRADE_SUCCESS = "TRADE_SUCCESS";

    /** Fields a notify needs before Kami can say anything about it; the rest is covered by the signature. */
    private static final List<String> NOTIFY_FIELDS = List.of("pid", "trade_no", "out_trade_no", "money",
            "trade_status");

    private static final DateTimeFormatter PROVIDER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
            Locale.ROOT);

    private final EpaySettings settings;
    private final EpayApi api;
    private final Clock clock;

    EpayChannel(EpaySettings settings, Clock clock) {
        this.settings = settings;
        this.api = new EpayApi(settings);
        this.clock = clock;
    }

    /**
     * The protocol's page jump: the payer's browser opens {@code submit.php} with signed parameters, and the
     * provider creates the order then. Nothing is sent from here, so nothing can time out.
     */
    @Override
    public CreatedPayment create(ChannelPayment payment) throws ChannelException {
        String type = protocolType(payment.method());
        if (!EpayMoney.isCny(payment.amount())) {
            throw new ChannelException("Epay takes CNY only, not " + payment.amount().currencyCode(), false);
        }
        if (payment.amount().amountMinor() <= 0) {
            throw new ChannelException("Epay takes positive amounts only, not " + payment.amount(), false);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("pid", settings.pid());
        parameters.put("type", type);
        parameters.put("out_trade_no", payment.paymentNo());
        parameters.put("notify_url", settings.notifyUrl().toString());
        parameters.put("return_url", payment.returnUrl());
        parameters.put("name", payment.subject());
        parameters.put("money", EpayMoney.yuan(payment.amount()));
        parameters.put("sign", EpaySignature.sign(parameters, settings.key()));
        parameters.put("sign_type", EpaySignature.SIGN_TYPE);
        return new CreatedPayment(settings.endpoint("submit.php") + "?" + EpayApi.formEncode(parameters));
    }

    /**
     * Checks run in {@link EpayRejection} order. The notify carries no payment time, so a success is dated when
     * Kami received it.
     */
    @Override
    public NotifyVerdict verify(InboundNotify notify) {
        Map<String, String> form;
        try {
            form = notify.form();
        } catch (IllegalArgumentException e) {
            return rejected(EpayRejection.MALFORMED_NOTIFY, "the body is not a readable form", null);
        }
        String claimedPaymentNo = blankToNull(form.get("out_trade_no"));
        List<String> missing = NOTIFY_FIELDS.stream().filter(field -> blankToNull(form.get(field)) == null).toList();
        if (!missing.isEmpty()) {
            return rejected(EpayRejection.MALFORMED_NOTIFY, "the notify lacks " + missing, claimedPaymentNo);
        }
        Money amount = EpayMoney.parse(form.get("money"));
        if (amount == null) {
            return rejected(EpayRejection.MALFORMED_NOTIFY, "money '" + form.get("money")
                    + "' is not a plain amount with at most two decimals", claimedPaymentNo);
        }
        if (!settings.pid().equals(form.get("pid"))) {
            return rejected(EpayRejection.WRONG_MERCHANT, "the notify is for merchant " + form.get("pid")
                    + ", this account is merchant " + settings.pid(), claimedPaymentNo);
        }
        String signType = form.get("sign_type");
        if (signType != null && !signType.isEmpty() && !signType.equals(EpaySignature.SIGN_TYPE)) {
            return rejected(EpayRejection.INVALID_SIGNATURE, "sign_type " + signType + " is not MD5",
                    claimedPaymentNo);
        }
        if (!EpaySignature.matches(form, settings.key(), form.get("sign"))) {
            return rejected(EpayRejection.INVALID_SIGNATURE, "the signature is missing or does not match",
                    claimedPaymentNo);
        }
        String paymentNo = form.get("out_trade_no");
        if (!TRADE_SUCCESS.equals(form.get("trade_status"))) {
            return new NotifyVerdict.VerifiedPayment(paymentNo, new PaymentState.Pending());
        }
        return new NotifyVerdict.VerifiedPayment(paymentNo,
                new PaymentState.Paid(form.get("trade_no"), amount, notify.receivedAt()));
    }

    /** The provider stops resending only when the body is exactly {@code success}. */
    @Override
    public NotifyReply acknowledge() {
        return NotifyReply.text(200, "success");
    }

    /** Anything but {@code success} makes the provider resend; the reason stays in Kami's journal. */
    @Override
    public NotifyReply refuse(String reason) {
        return NotifyReply.text(400, "fail");
    }

    @Override
    public PaymentState query(ChannelPayment payment) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("act", "order");
        query.put("pid", settings.pid());
        query.put("key", settings.key());
        query.put("out_trade_no", payment.paymentNo());
        return switch (api.get(query)) {
            case EpayApi.NoAnswer(String reason) -> new PaymentState.Unknown("Epay order query: " + reason);
            case EpayApi.Answered(JsonNode answer) -> EpayOrderAnswer.read(answer, payment, settings,
                    this::paidAt);
        };
    }

    /** The protocol cannot close an order; the order's state is the most close can tell (see the class comment). */
    @Override
    public PaymentState close(ChannelPayment payment) {
        return query(payment);
    }

    /** Not idempotent (see the class comment). A refusal is final; no readable answer is {@code Unknown}. */
    @Override
    public RefundState refund(ChannelRefund refund) {
        if (!EpayMoney.isCny(refund.amount())) {
            return new RefundState.Failed("Epay refunds CNY only, not " + refund.amount().currencyCode());
        }
        if (refund.amount().amountMinor() <= 0) {
            return new RefundState.Failed("Epay refunds positive amounts only, not " + refund.amount());
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("pid", settings.pid());
        form.put("key", settings.key());
        if (blankToNull(refund.channelTradeNo()) != null) {
            form.put("trade_no", refund.channelTradeNo());
        } else {
            form.put("out_trade_no", refund.paymentNo());
        }
        form.put("money", EpayMoney.yuan(refund.amount()));
        return switch (api.post("refund", form)) {
            case EpayApi.NoAnswer(String reason) -> new RefundState.Unknown("Epay refund: " + reason);
            case EpayApi.Answered(JsonNode answer) -> "1".equals(EpayApi.text(answer, "code"))
                    ? new RefundState.Succeeded(null, refund.amount(), clock.instant())
                    : new RefundState.Failed("Epay refused the refund: " + describe(answer));
        };
    }

    /** The protocol has no refund query; whoever needs the answer must look in the provider's console. */
    @Override
    public RefundState queryRefund(ChannelRefund refund) {
        return new RefundState.Unknown("the Epay protocol has no refund query");
    }

    /** {@code endtime} is the provider's local wall-clock time; without a readable one, now is the best guess. */
    private Instant paidAt(@Nullable String endTime) {
        if (endTime != null && !endTime.isBlank()) {
            try {
                return LocalDateTime.parse(endTime.trim(), PROVIDER_TIME).atZone(settings.timeZone()).toInstant();
            } catch (DateTimeParseException e) {
                // Forks format the time differently; the payment is no less paid for it.
            }
        }
        return clock.instant();
    }

    private static String protocolType(String method) throws ChannelException {
        if (!EpayProvider.METHODS.contains(method)) {
            throw new ChannelException("Epay offers " + EpayProvider.METHODS + ", not " + method, false);
        }
        return method.substring(EpayProvider.TYPE.length() + 1);
    }

    static String describe(JsonNode answer) {
        return "code " + EpayApi.text(answer, "code") + ", " + EpayApi.text(answer, "msg");
    }

    private static NotifyVerdict rejected(EpayRejection rejection, String reason, @Nullable String claimedPaymentNo) {
        return new NotifyVerdict.Unverified(rejection.name(), reason, claimedPaymentNo);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
