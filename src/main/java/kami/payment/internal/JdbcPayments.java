package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kami.payment.NewPayment;
import kami.payment.PaymentMethodView;
import kami.payment.PaymentView;
import kami.payment.RefundRequest;
import kami.payment.RefundView;
import kami.payment.Payments;
import kami.platform.ApiException;
import kami.platform.Ids;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Service
class JdbcPayments implements Payments {

    static final RowMapper<PaymentRecord> RECORD = (rs, row) -> new PaymentRecord(rs.getString("payment_no"),
            rs.getString("order_no"), rs.getString("channel"), rs.getString("method"),
            Money.of(rs.getLong("amount_minor"), rs.getString("currency")),
            PaymentStatus.valueOf(rs.getString("status")), rs.getString("channel_trade_no"),
            rs.getString("pay_url"), rs.getString("return_url"), rs.getTimestamp("expires_at").toInstant(),
            rs.getInt("query_attempts"));

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ChannelRegistry channels;
    private final ChannelGuard guard;
    private final PaymentProperties properties;
    private final FinalQuery finalQuery;
    private final PaymentMetrics metrics;
    private final Refunds refunds;

    JdbcPayments(JdbcClient jdbc, Clock clock, ChannelRegistry channels, ChannelGuard guard,
            PaymentProperties properties, @Lazy FinalQuery finalQuery, PaymentMetrics metrics,
            @Lazy Refunds refunds) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.channels = channels;
        this.guard = guard;
        this.properties = properties;
        this.finalQuery = finalQuery;
        this.metrics = metrics;
        this.refunds = refunds;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public PaymentView create(NewPayment payment) {
        ChannelEndpoint channel = channels.requireEnabled(payment.channel());
        String method = method(channel, payment.method());
        Instant now = clock.instant();
        String paymentNo = Ids.next('P', now);
        PaymentRecord record = new PaymentRecord(paymentNo, payment.orderNo(), channel.name(), method,
                payment.amount(), PaymentStatus.PENDING, null, null, payment.returnUrl(), payment.expiresAt(), 0);
        // Local channels (the sandbox) create their trade in this transaction; remote ones when the payer opens
        // the pay URL, so that a slow channel never holds the order's transaction and key locks.
        String payUrl = channel.local() ? createLocally(channel, record) : null;
        jdbc.sql("""
                insert into payment (payment_no, order_no, channel, method, amount_minor, currency, status, pay_url,
                    return_url, created_at, expires_at, next_query_at)
                values (:no, :order, :channel, :method, :amount, :currency, 'PENDING', :payUrl, :returnUrl, :now,
                    :expires, :nextQuery)""")
                .param("no", paymentNo).param("order", payment.orderNo()).param("channel", channel.name())
                .param("method", method).param("amount", payment.amount().amountMinor())
                .param("currency", payment.amount().currencyCode()).param("payUrl", payUrl)
                .param("returnUrl", payment.returnUrl())                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(payment.expiresAt()))
                .param("nextQuery", Timestamp.from(now.plus(properties.pauseAfter(0)))).update();
        metrics.created(channel.name());
        return view(record, payUrl);
    }

    private static String createLocally(ChannelEndpoint channel, PaymentRecord record) {
        try {
            return channel.channel().create(record.toChannel()).payUrl();
        } catch (kami.payment.channel.ChannelException e) {
            throw new IllegalStateException("the local channel " + channel.name() + " failed", e);
        }
    }

    @Override
    public Optional<PaymentView> findByOrder(String orderNo) {
        return findRecordByOrder(orderNo).map(p -> view(p, p.payUrl()));
    }

    Optional<PaymentRecord> findRecordByOrder(String orderNo) {
        return jdbc.sql("select * from payment where order_no = :order").param("order", orderNo).query(RECORD)
                .optional();
    }

    Optional<PaymentRecord> find(String paymentNo) {
        return jdbc.sql("select * from payment where payment_no = :no").param("no", paymentNo).query(RECORD)
                .optional();
    }

    @Override
    public void requireChannel(String channel, @Nullable String method) {
        ChannelEndpoint endpoint = channels.requireEnabled(channel);
        String chosen = method(endpoint, method);
        ChannelGuard.PathHealth health = guard.health(endpoint.name(), chosen);
        if (!health.usable()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "PATH_UNAVAILABLE", "Payment path "
                    + health.path() + " is " + (health.switchedOn() ? "failing" : "switched off")
                    + " now; choose another way to pay");
        }
    }

    @Override
    public List<PaymentMethodView> availableMethods() {
        return channels.all().stream().filter(ChannelEndpoint::enabled)
                .flatMap(endpoint -> endpoint.methods().stream()
                        .filter(method -> guard.offers(endpoint.name(), method))
                        .map(method -> new PaymentMethodView(endpoint.name(), method)))
                .toList();
    }

    @Override
    public RefundView requestRefund(RefundRequest request) {
        return refunds.request(request);
    }

    @Override
    public List<RefundView> refundsOf(String orderNo) {
        return refunds.ofOrder(orderNo);
    }

    @Override
    public FinalCheck checkBeforeExpiry(String orderNo) {
        return finalQuery.check(orderNo);
    }

    private static String method(ChannelEndpoint channel, @Nullable String method) {
        if (method == null) {
            return channel.defaultMethod();
        }
        if (!channel.offers(method)) {
            throw ApiException.badRequest("UNKNOWN_METHOD", "Channel " + channel.name() + " offers the methods "
                    + channel.methods() + ", not '" + method + "'");
        }
        return method;
    }

    /** Where the payer pays: the channel's own page once known, before that Kami's cashier, which creates it. */
    private static PaymentView view(PaymentRecord payment, @Nullable String payUrl) {
        return new PaymentView(payment.paymentNo(), payment.channel(), payment.method(),
                payUrl != null ? payUrl : CashierController.payPath(payment.paymentNo()));
    }
}
