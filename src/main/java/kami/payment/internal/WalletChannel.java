package kami.payment.internal;

import java.time.Clock;
import kami.payment.Payments;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The built-in channel that pays from a user's wallet. There is no one outside Kami to ask: the wallet module
 * debits the wallet and records the payment in one transaction ({@link Payments#recordInternalPayment}), so
 * Kami's own record is the channel's answer. A payment not recorded as paid was not paid, and closing it is
 * always possible; nothing ever notifies, so a notify is refused; a refund succeeds at once, and the wallet
 * module credits the wallet when it hears of it.
 */
@Component
class WalletChannel implements PaymentChannel {

    static final String NAME = Payments.WALLET_CHANNEL;
    static final String METHOD = Payments.WALLET_METHOD;
    static final String NOTIFY_REFUSED = "WALLET_TAKES_NO_NOTIFIES";

    private final JdbcClient jdbc;
    private final Clock clock;

    WalletChannel(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Nothing to register anywhere: the payer pays on Kami's own wallet page. */
    @Override
    public CreatedPayment create(ChannelPayment payment) {
        return new CreatedPayment(Payments.WALLET_PAY_PATH + payment.paymentNo());
    }

    @Override
    public NotifyVerdict verify(InboundNotify notify) {
        return new NotifyVerdict.Unverified(NOTIFY_REFUSED, "wallet payments are recorded by Kami itself, never "
                + "by a notify", null);
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
        return jdbc.sql("""
                select status, channel_trade_no, amount_minor, currency, succeeded_at from payment
                where payment_no = :no and channel = :channel""")
                .param("no", payment.paymentNo()).param("channel", NAME)
                .query((rs, row) -> switch (rs.getString("status")) {
                    case "SUCCEEDED" -> (PaymentState) new PaymentState.Paid(rs.getString("channel_trade_no"),
                            Money.of(rs.getLong("amount_minor"), rs.getString("currency")),
                            rs.getTimestamp("succeeded_at").toInstant());
                    case "CLOSED" -> new PaymentState.Closed("closed in Kami's wallet");
                    default -> new PaymentState.Pending();
                })
                .optional().orElseGet(PaymentState.NotFound::new);
    }

    /**
     * An unpaid wallet payment can always be closed. When the payer is paying at this moment, the gateway's
     * conditional update of the payment waits for the payer's lock on it and then finds it paid.
     */
    @Override
    public PaymentState close(ChannelPayment payment) {
        PaymentState state = query(payment);
        return state instanceof PaymentState.Pending || state instanceof PaymentState.NotFound
                ? new PaymentState.Closed("closed in Kami's wallet") : state;
    }

    /**
     * The money goes back into the wallet, which the wallet module does in the transaction that records this
     * success; the gateway has already checked that the refund fits the payment.
     */
    @Override
    public RefundState refund(ChannelRefund refund) {
        return new RefundState.Succeeded(null, refund.amount(), clock.instant());
    }

    /** A refund the gateway submitted was taken at once, so asking again gives the same answer. */
    @Override
    public RefundState queryRefund(ChannelRefund refund) {
        return refund(refund);
    }
}
