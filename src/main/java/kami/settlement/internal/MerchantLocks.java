package kami.settlement.internal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A transaction-scoped lock per merchant for the work that reads the merchant's available or owed balance and
 * then moves money by what it read: refunds after settlement, payouts and settlement itself. Under the lock what
 * was read stays true until commit (on every instance: it is a PostgreSQL advisory lock). It is always taken
 * before any ledger row lock, so it cannot take part in a lock cycle with them.
 */
@Component
class MerchantLocks {

    private final JdbcClient jdbc;

    MerchantLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(long merchantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('kami.settlement.merchant-' || :merchant, 0))")
                .param("merchant", merchantId).query((rs, n) -> 1).list();
    }
}
