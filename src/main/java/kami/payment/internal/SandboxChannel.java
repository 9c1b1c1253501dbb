package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import kami.payment.NewPayment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The channel adapter for the sandbox PSP: creating a payment registers a trade on the PSP's books. */
@Component
@ConditionalOnProperty(name = "kami.channels.sandbox.enabled", havingValue = "true", matchIfMissing = true)
class SandboxChannel implements PaymentChannel {

    private final JdbcClient jdbc;
    private final Clock clock;

    SandboxChannel(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public String name() {
        return SandboxNotifyHandler.CHANNEL;
    }

    @Override
    public String createPayment(String paymentNo, NewPayment payment) {
        jdbc.sql("""
                insert into sandbox_trade (payment_no, amount_minor, currency, return_url, status, created_at,
                                           notify_state)
                values (:no, :amount, :currency, :returnUrl, 'CREATED', :now, 'NONE')""")
                .param("no", paymentNo).param("amount", payment.amount().amountMinor())
                .param("currency", payment.amount().currencyCode()).param("returnUrl", payment.returnUrl())
                .param("now", Timestamp.from(clock.instant())).update();
        return SandboxPaths.checkout(paymentNo);
    }
}
