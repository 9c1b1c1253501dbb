package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.CreatedPayment;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.NotifyVerdict.Unverified;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.PaymentChannel;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The channel adapter for the built-in sandbox PSP. The PSP keeps its books in Kami's database, so the adapter
 * reads them directly instead of going over HTTP for queries; notifies still travel over real HTTP.
 */
@Component
@ConditionalOnProperty(name = "kami.channels.sandbox.enabled", havingValue = "true", matchIfMissing = true)
class SandboxChannel implements PaymentChannel {

    static final String NAME = "sandbox";
    static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final SandboxPsp psp;
    private final SandboxSignature signature;
    private final ObjectMapper json;
    private final Clock clock;

    SandboxChannel(JdbcClient jdbc, SandboxPsp psp, SandboxProperties properties, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.psp = psp;
        this.signature = new SandboxSignature(properties.secret());
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CreatedPayment create(ChannelPayment payment) {
        jdbc.sql("""
                insert into sandbox_trade (payment_no, amount_minor, currency, return_url, status, created_at,
                                           notify_state)
                values (:no, :amount, :currency, :returnUrl, 'CREATED', :now, 'NONE')""")
                .param("no", payment.paymentNo()).param("amount", payment.amount().amountMinor())
                .param("currency", payment.amount().currencyCode()).param("returnUrl", payment.returnUrl())
                .param("now", Timestamp.from(clock.instant())).update();
        return new CreatedPayment(SandboxPaths.checkout(payment.paymentNo()));
    }

    @Override
    public NotifyVerdict verify(InboundNotify notify) {
        SandboxNotify parsed = parse(notify.body());
        // The payment number of a rejected notify is kept, unverified, to help investigate it.
        String claimed = parsed == null ? null : parsed.paymentNo();
        if (!signature.verify(notify.body(), notify.header("X-Sandbox-Signature"))) {
            return new Unverified("INVALID_SIGNATURE", "signature does not match the body", claimed);
        }
        if (parsed == null) {
            return new Unverified("MALFORMED_NOTIFY", "body is not a sandbox notify", null);
        }
        if (parsed.paymentNo() == null || parsed.channelTradeNo() == null || parsed.currency() == null) {
            return new Unverified("MALFORMED_NOTIFY", "paymentNo, channelTradeNo and currency are required", claimed);
        }
        Duration age = Duration.between(Instant.ofEpochSecond(parsed.timestamp()), notify.receivedAt()).abs();
        if (age.compareTo(TIMESTAMP_TOLERANCE) > 0) {
            return new Unverified("STALE_NOTIFY", "timestamp is " + age.toSeconds() + " s away from now; at most "
                    + TIMESTAMP_TOLERANCE.toSeconds() + " s accepted", claimed);
        }
        if (!"SUCCESS".equals(parsed.status())) {
            return new Unverified("UNSUPPORTED_STATUS", "status " + parsed.status() + " is not a payment success",
                    claimed);
        }
        Money amount;
        try {
            amount = Money.of(parsed.amountMinor(), parsed.currency());
        } catch (IllegalArgumentException unknownCurrency) {
            return new Unverified("MALFORMED_NOTIFY", "unknown currency " + parsed.currency(), claimed);
        }
        return new VerifiedPayment(parsed.paymentNo(),
                new PaymentState.Paid(parsed.channelTradeNo(), amount, notify.receivedAt()));
    }

    private @Nullable SandboxNotify parse(String rawBody) {
        try {
            return json.readValue(rawBody, SandboxNotify.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    @Override
    public NotifyReply acknowledge() {
        return NotifyReply.text(200, "success");
    }

    @Override
    public NotifyReply refuse(String reason) {
        return NotifyReply.text(400, "fail");
    }

    @Override
    public PaymentState query(ChannelPayment payment) {
        return psp.find(payment.paymentNo()).<PaymentState>map(trade -> switch (trade.status()) {
            case "PAID" -> new PaymentState.Paid(trade.channelTradeNo(),
                    Money.of(trade.amountMinor(), trade.currency()), clock.instant());
            case "CLOSED" -> new PaymentState.Closed("closed in the sandbox");
            default -> new PaymentState.Pending();
        }).orElseGet(PaymentState.NotFound::new);
    }

    @Override
    public PaymentState close(ChannelPayment payment) {
        psp.close(payment.paymentNo());
        return query(payment);
    }

    @Override
    public RefundState refund(ChannelRefund refund) {
        return new RefundState.Unknown("the sandbox does not refund yet");
    }

    @Override
    public RefundState queryRefund(ChannelRefund refund) {
        return new RefundState.Unknown("the sandbox does not refund yet");
    }
}
