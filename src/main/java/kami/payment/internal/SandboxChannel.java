package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.springframework.transaction.support.TransactionTemplate;
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
    /** Online banking in the sandbox: the payer picks a bank, each a payment path of its own. */
    static final String BANK_METHOD = "sandbox.bank";
    static final List<String> METHODS = List.of(NAME, BANK_METHOD);
    static final List<String> BANKS = List.of("ICBC", "CCB", "ABC", "BOC", "CMB");
    static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final SandboxPsp psp;
    private final SandboxSignature signature;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final SandboxFaults faults;
    private final Clock clock;

    SandboxChannel(JdbcClient jdbc, SandboxPsp psp, SandboxProperties properties, SandboxFaults faults,
            ObjectMapper json, TransactionTemplate transaction, Clock clock) {
        this.jdbc = jdbc;
        this.faults = faults;
        this.transaction = transaction;
        this.psp = psp;
        this.signature = new SandboxSignature(properties.secret());
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CreatedPayment create(ChannelPayment payment) {
        jdbc.sql("""
                insert into sandbox_trade (payment_no, amount_minor, currency, return_url, status, created_at,
                                           notify_state, bank)
                values (:no, :amount, :currency, :returnUrl, 'CREATED', :now, 'NONE', :bank)""")
                .param("no", payment.paymentNo()).param("bank", payment.bank())
                .param("amount", payment.amount().amountMinor())
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

    /**
     * A bank the fault switches make sick answers as a sick bank gateway does: with a 5xx (an unknown outcome)
     * or not at all, until the caller gives up. Creating a trade is not faulted: the sandbox creates it in the
     * order's own transaction.
     */
    @Override
    public PaymentState query(ChannelPayment payment) {
        PaymentState sick = faults.sickBankAnswer(payment.bank());
        return sick != null ? sick : answer(payment);
    }

    private PaymentState answer(ChannelPayment payment) {
        return psp.find(payment.paymentNo()).<PaymentState>map(trade -> switch (trade.status()) {
            case "PAID" -> new PaymentState.Paid(trade.channelTradeNo(),
                    Money.of(trade.amountMinor(), trade.currency()), clock.instant());
            case "CLOSED" -> new PaymentState.Closed("closed in the sandbox");
            default -> new PaymentState.Pending();
        }).orElseGet(PaymentState.NotFound::new);
    }

    @Override
    public PaymentState close(ChannelPayment payment) {
        PaymentState sick = faults.sickBankAnswer(payment.bank());
        if (sick != null) {
            return sick;
        }
        psp.close(payment.paymentNo());
        return answer(payment);
    }

    /** Idempotent by Kami's refund number; never more than the trade's amount in total. */
    @Override
    public RefundState refund(ChannelRefund refund) {
        return transaction.execute(status -> {
            SandboxTrade trade = jdbc.sql("select * from sandbox_trade where payment_no = :no for update")
                    .param("no", refund.paymentNo()).query(SandboxPsp.TRADE).optional().orElse(null);
            if (trade == null || !"PAID".equals(trade.status())) {
                return new RefundState.Failed("the sandbox trade " + refund.paymentNo() + " is not paid");
            }
            RefundState earlier = queryRefund(refund);
            if (earlier instanceof RefundState.Succeeded) {
                return earlier;
            }
            long refunded = jdbc.sql("select coalesce(sum(amount_minor), 0) from sandbox_refund where payment_no = :no")
                    .param("no", refund.paymentNo()).query(Long.class).single();
            if (refunded + refund.amount().amountMinor() > trade.amountMinor()) {
                return new RefundState.Failed("refunds would exceed the trade's amount");
            }
            jdbc.sql("""
                    insert into sandbox_refund (refund_no, payment_no, amount_minor, created_at)
                    values (:no, :payment, :amount, :now)""")
                    .param("no", refund.refundNo()).param("payment", refund.paymentNo())
                    .param("amount", refund.amount().amountMinor()).param("now", Timestamp.from(clock.instant()))
                    .update();
            return new RefundState.Succeeded(refund.refundNo(), refund.amount(), clock.instant());
        });
    }

    @Override
    public RefundState queryRefund(ChannelRefund refund) {
        return jdbc.sql("select * from sandbox_refund where refund_no = :no").param("no", refund.refundNo())
                .query((rs, row) -> (RefundState) new RefundState.Succeeded(rs.getString("refund_no"),
                        Money.of(rs.getLong("amount_minor"), refund.amount().currencyCode()),
                        rs.getTimestamp("created_at").toInstant()))
                .optional()
                // The sandbox refunds by refund number, so one it does not know was never received.
                .orElseGet(() -> new RefundState.Failed("the sandbox has no refund " + refund.refundNo()));
    }
}
