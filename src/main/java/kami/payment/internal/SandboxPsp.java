package kami.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kami.platform.AfterCommit;
import kami.platform.ApiException;
import kami.platform.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The simulated PSP: the payer pays a trade once; the PSP then owes the merchant a notify and keeps trying
 * until the merchant answers {@code success}, as real PSPs do.
 */
@Component
class SandboxPsp {

    /** While one attempt is in flight, the retry poller leaves the trade alone for this long. */
    static final Duration ATTEMPT_LEASE = Duration.ofSeconds(10);

    static final RowMapper<SandboxTrade> TRADE = (rs, row) -> new SandboxTrade(rs.getString("payment_no"),
            rs.getLong("amount_minor"), rs.getString("currency"), rs.getString("return_url"),
            rs.getString("status"), rs.getString("channel_trade_no"), rs.getString("bank"));

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SandboxFaults faults;
    private final SandboxNotifier notifier;

    SandboxPsp(JdbcClient jdbc, Clock clock, SandboxFaults faults, SandboxNotifier notifier) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.faults = faults;
        this.notifier = notifier;
    }

    Optional<SandboxTrade> find(String paymentNo) {
        return jdbc.sql("select * from sandbox_trade where payment_no = :no").param("no", paymentNo).query(TRADE)
                .optional();
    }

    /**
     * The payer pays. Paying again is harmless: the trade is paid once and keeps its trade number. One statement,
     * committed on its own (no transaction around it: its commit would be a second round trip); the notify goes
     * out once the payment is committed.
     *
     * <p>The commit does not wait for the disk ({@link NoWaitCommit}): these are the simulated PSP's own records,
     * not Kami's. A database crash can lose the payment only before Kami has recorded its notify, because Kami's
     * commit flushes the log up to its own record, this one included; the order is then still unpaid, as if the
     * payer's click had never reached the PSP, and can be paid again.
     */
    SandboxTrade pay(String paymentNo) {
        Instant now = clock.instant();
        Duration delay = faults.notifyDelay();
        NoWaitCommit.requireOwnTransaction("a sandbox payment is recorded");
        Optional<SandboxTrade> paidNow = jdbc.sql("""
                update sandbox_trade
                set status = 'PAID', channel_trade_no = :trade, paid_at = :now,
                    notify_state = 'PENDING', next_notify_at = :leaseUntil
                where payment_no = :no and status = 'CREATED'
                  and set_config('synchronous_commit', 'off', true) = 'off'
                returning *""")
                .param("trade", Ids.next('T', now)).param("now", Timestamp.from(now))
                .param("leaseUntil", Timestamp.from(now.plus(delay).plus(ATTEMPT_LEASE)))
                .param("no", paymentNo).query(TRADE).optional();
        boolean changed = paidNow.isPresent();
        SandboxTrade trade = paidNow.or(() -> find(paymentNo)).orElseThrow(() -> ApiException.notFound(
                "PAYMENT_NOT_FOUND", "The sandbox has no payment " + paymentNo));
        if ("CLOSED".equals(trade.status())) {
            throw new ApiException(HttpStatus.CONFLICT, "PAYMENT_CLOSED", "The payment " + paymentNo
                    + " was closed by the merchant and can no longer be paid");
        }
        if (changed) {
            AfterCommit.run(() -> notifier.sendSoon(trade, delay));
        }
        return trade;
    }

    /** The merchant closes an unpaid trade; a paid trade stays paid. */
    void close(String paymentNo) {
        jdbc.sql("update sandbox_trade set status = 'CLOSED' where payment_no = :no and status = 'CREATED'")
                .param("no", paymentNo).update();
    }
}
