package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import kami.payment.NewPayment;
import kami.payment.PaymentView;
import kami.payment.Payments;
import kami.platform.ApiException;
import kami.platform.Ids;
import kami.platform.Money;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Service
class JdbcPayments implements Payments {

    static final RowMapper<PaymentRecord> RECORD = (rs, row) -> new PaymentRecord(rs.getString("payment_no"),
            rs.getString("order_no"), rs.getString("channel"),
            Money.of(rs.getLong("amount_minor"), rs.getString("currency")),
            PaymentStatus.valueOf(rs.getString("status")), rs.getString("channel_trade_no"));

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, PaymentChannel> channels;

    JdbcPayments(JdbcClient jdbc, Clock clock, List<PaymentChannel> channels) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.channels = channels.stream().collect(Collectors.toMap(PaymentChannel::name, Function.identity()));
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public PaymentView create(NewPayment payment) {
        PaymentChannel channel = channel(payment.channel());
        Instant now = clock.instant();
        String paymentNo = Ids.next('P', now);
        jdbc.sql("""
                insert into payment (payment_no, order_no, channel, amount_minor, currency, status, created_at)
                values (:no, :order, :channel, :amount, :currency, 'PENDING', :now)""")
                .param("no", paymentNo).param("order", payment.orderNo()).param("channel", channel.name())
                .param("amount", payment.amount().amountMinor()).param("currency", payment.amount().currencyCode())
                .param("now", Timestamp.from(now)).update();
        String payUrl = channel.createPayment(paymentNo, payment);
        return new PaymentView(paymentNo, channel.name(), payUrl);
    }

    @Override
    public Optional<PaymentView> findByOrder(String orderNo) {
        return jdbc.sql("select * from payment where order_no = :order").param("order", orderNo).query(RECORD)
                .optional().map(p -> new PaymentView(p.paymentNo(), p.channel(), payUrl(p)));
    }

    Optional<PaymentRecord> find(String paymentNo) {
        return jdbc.sql("select * from payment where payment_no = :no").param("no", paymentNo).query(RECORD)
                .optional();
    }

    private String payUrl(PaymentRecord payment) {
        return SandboxPaths.checkout(payment.paymentNo());
    }

    @Override
    public void requireChannel(String channel) {
        channel(channel);
    }

    private PaymentChannel channel(String name) {
        PaymentChannel channel = name == null ? null : channels.get(name);
        if (channel == null) {
            throw ApiException.badRequest("UNKNOWN_CHANNEL", "Unknown or disabled payment channel '" + name
                    + "'; enabled: " + channels.keySet());
        }
        return channel;
    }
}
