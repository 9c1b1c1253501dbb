package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kami.payment.NewPayment;
import kami.payment.PaymentDetails;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentMethodView;
import kami.payment.PaymentView;
import kami.payment.RefundRequest;
import kami.payment.RefundView;
import kami.payment.Payments;
import kami.payment.channel.PaymentState;
import kami.platform.AfterCommit;
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
            rs.getInt("query_attempts"), PaymentPurpose.valueOf(rs.getString("purpose")), rs.getString("bank"),
            rs.getObject("merchant_id", Long.class));

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ChannelRegistry channels;
    private final ChannelGuard guard;
    private final PaymentProperties properties;
    private final FinalQuery finalQuery;
    private final PaymentMetrics metrics;
    private final Refunds refunds;
    private final PaymentRecorder recorder;

    JdbcPayments(JdbcClient jdbc, Clock clock, ChannelRegistry channels, ChannelGuard guard,
            PaymentProperties properties, @Lazy FinalQuery finalQuery, PaymentMetrics metrics,
            @Lazy Refunds refunds, @Lazy PaymentRecorder recorder) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.channels = channels;
        this.guard = guard;
        this.properties = properties;
        this.finalQuery = finalQuery;
        this.metrics = metrics;
        this.refunds = refunds;
        this.recorder = recorder;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public PaymentView create(NewPayment payment) {
        ChannelEndpoint channel = channels.requireEnabled(payment.channel());
        String method = method(channel, payment.method());
        String bank = bank(channel, method, payment.bank());
        if (payment.purpose() == PaymentPurpose.WALLET_TOP_UP && WalletChannel.NAME.equals(channel.name())) {
            throw ApiException.badRequest("TOP_UP_CHANNEL_NOT_ALLOWED", "A wallet is topped up through a payment "
                    + "channel, not from the wallet itself");
        }
        Instant now = clock.instant();
        String paymentNo = Ids.next('P', now);
        PaymentRecord record = new PaymentRecord(paymentNo, payment.orderNo(), channel.name(), method,
                payment.amount(), PaymentStatus.PENDING, null, null, payment.returnUrl(), payment.expiresAt(), 0,
                payment.purpose(), bank, payment.merchantId());
        // Local channels (the sandbox) create their trade in this transaction; remote ones when the payer opens
        // the pay URL, so that a slow channel never holds the order's transaction and key locks.
        String payUrl = channel.local() ? createLocally(channel, record) : null;
        jdbc.sql("""
                insert into payment (payment_no, order_no, channel, method, amount_minor, currency, status, pay_url,
                    return_url, created_at, expires_at, next_query_at, purpose, bank, merchant_id)
                values (:no, :order, :channel, :method, :amount, :currency, 'PENDING', :payUrl, :returnUrl, :now,
                    :expires, :nextQuery, :purpose, :bank, :merchant)""")
                .param("no", paymentNo).param("order", payment.orderNo()).param("channel", channel.name())
                .param("method", method).param("bank", bank).param("amount", payment.amount().amountMinor())
                .param("currency", payment.amount().currencyCode()).param("payUrl", payUrl)
                .param("returnUrl", payment.returnUrl()).param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(payment.expiresAt()))
                .param("nextQuery", Timestamp.from(now.plus(properties.pauseAfter(0))))
                .param("purpose", payment.purpose().name()).param("merchant", payment.merchantId()).update();
        // Counted once it exists: a transaction that rolls back (a repeated order request) created nothing.
        AfterCommit.run(() -> metrics.created(channel.name()));
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
    public Optional<PaymentDetails> details(String paymentNo) {
        return find(paymentNo).map(p -> new PaymentDetails(p.paymentNo(), p.orderNo(), p.purpose(), p.channel(),
                p.method(), p.amount(), p.status().name(), p.channelTradeNo(), p.expiresAt(), p.returnUrl()));
    }

    /**
     * The payment row is locked first, so the final check before expiry (which closes the payment) and this call
     * wait for each other: either the payment is closed and cannot be paid here, or it is paid and the close
     * finds it SUCCEEDED.
     */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean recordInternalPayment(String paymentNo, String channelTradeNo) {
        PaymentRecord payment = jdbc.sql("select * from payment where payment_no = :no for update")
                .param("no", paymentNo).query(RECORD).optional()
                .orElseThrow(() -> ApiException.notFound("PAYMENT_NOT_FOUND", "No payment " + paymentNo));
        if (!WalletChannel.NAME.equals(payment.channel())) {
            throw new ApiException(HttpStatus.CONFLICT, "NOT_AN_INTERNAL_PAYMENT", "Payment " + paymentNo
                    + " is paid through channel " + payment.channel() + ", not inside Kami");
        }
        Instant now = clock.instant();
        switch (payment.status()) {
            case SUCCEEDED -> {
                if (channelTradeNo.equals(payment.channelTradeNo())) {
                    return false;
                }
                throw new ApiException(HttpStatus.CONFLICT, "PAYMENT_ALREADY_SUCCEEDED", "Payment " + paymentNo
                        + " is already paid");
            }
            case CLOSED -> throw paymentClosed(paymentNo);
            case PENDING -> {
                if (!now.isBefore(payment.expiresAt())) {
                    throw paymentClosed(paymentNo);
                }
            }
        }
        PaymentRecorder.Recorded recorded = recorder.paid(payment,
                new PaymentState.Paid(channelTradeNo, payment.amount(), now), now);
        if (recorded != PaymentRecorder.Recorded.NOW) {
            throw new IllegalStateException("payment " + paymentNo + " was locked as PENDING but recorded "
                    + recorded);
        }
        return true;
    }

    private static ApiException paymentClosed(String paymentNo) {
        return new ApiException(HttpStatus.CONFLICT, "PAYMENT_CLOSED", "Payment " + paymentNo
                + " can no longer be paid: its order expired or was closed");
    }

    @Override
    public void requireChannel(String channel, @Nullable String method, @Nullable String bank) {
        ChannelEndpoint endpoint = channels.requireEnabled(channel);
        String chosen = method(endpoint, method);
        PaymentPath path = new PaymentPath(endpoint.name(), chosen, bank(endpoint, chosen, bank));
        ChannelGuard.PathHealth health = guard.health(path);
        if (!health.usable()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "PATH_UNAVAILABLE", "Payment path "
                    + health.path() + " is " + (health.switchedOn() ? "failing" : "switched off")
                    + " now; choose another way to pay");
        }
    }

    @Override
    public List<PaymentMethodView> availableMethods() {
        return channels.all().stream().filter(ChannelEndpoint::enabled)
                .flatMap(endpoint -> endpoint.methods().stream().map(method -> offered(endpoint, method)))
                .flatMap(Optional::stream)
                .toList();
    }

    /** The method as offered now: without banks when it has none; with its usable banks, or not at all. */
    private Optional<PaymentMethodView> offered(ChannelEndpoint endpoint, String method) {
        List<String> banks = endpoint.banksOf(method);
        if (banks.isEmpty()) {
            return guard.offers(PaymentPath.of(endpoint.name(), method))
                    ? Optional.of(new PaymentMethodView(endpoint.name(), method)) : Optional.empty();
        }
        List<String> usable = banks.stream()
                .filter(bank -> guard.offers(new PaymentPath(endpoint.name(), method, bank))).toList();
        return usable.isEmpty() ? Optional.empty()
                : Optional.of(new PaymentMethodView(endpoint.name(), method, usable));
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

    @Override
    public Map<String, FinalCheck> checkAllBeforeExpiry(List<String> orderNos) {
        return finalQuery.checkAll(orderNos);
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

    /**
     * The payer's bank, checked against the method: a method with banks needs one of them, any other takes none.
     * Checked again on create, so a caller that skipped {@link #requireChannel} cannot record a wrong bank.
     */
    private static @Nullable String bank(ChannelEndpoint channel, String method, @Nullable String bank) {
        List<String> banks = channel.banksOf(method);
        if (banks.isEmpty()) {
            if (bank != null) {
                throw ApiException.badRequest("BANK_NOT_SUPPORTED", "Method " + method + " of channel "
                        + channel.name() + " has no bank choice; leave bank out");
            }
            return null;
        }
        if (bank == null) {
            throw ApiException.badRequest("BANK_REQUIRED", "Method " + method + " of channel " + channel.name()
                    + " needs a bank, one of " + banks);
        }
        if (!banks.contains(bank)) {
            throw ApiException.badRequest("UNKNOWN_BANK", "Method " + method + " of channel " + channel.name()
                    + " offers the banks " + banks + ", not '" + bank + "'");
        }
        return bank;
    }

    /** Where the payer pays: the channel's own page once known, before that Kami's cashier, which creates it. */
    private static PaymentView view(PaymentRecord payment, @Nullable String payUrl) {
        return new PaymentView(payment.paymentNo(), payment.channel(), payment.method(), payment.bank(),
                payUrl != null ? payUrl : CashierController.payPath(payment.paymentNo()));
    }
}
