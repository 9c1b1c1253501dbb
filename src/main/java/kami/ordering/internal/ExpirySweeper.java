package kami.ordering.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import kami.inventory.KeyVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expires unpaid orders past their deadline and puts their keys back on sale, in batches. Orders a payment is
 * being applied to at this moment are locked and skipped; the next sweep sees their final state.
 */
@Component
class ExpirySweeper {

    static final int BATCH_MAX = 500;

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final KeyVault vault;
    private final OrderChangeSignals signals;
    private final Clock clock;

    ExpirySweeper(JdbcClient jdbc, TransactionTemplate transaction, KeyVault vault, OrderChangeSignals signals,
            Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.vault = vault;
        this.signals = signals;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${kami.orders.expiry-sweep-interval:5s}",
            initialDelayString = "${kami.orders.expiry-sweep-interval:5s}")
    void sweep() {
        int expired;
        do {
            expired = expireBatch();
        } while (expired == BATCH_MAX);
    }

    int expireBatch() {
        Integer expired = transaction.execute(status -> {
            List<String> orderNos = jdbc.sql("""
                    update customer_order set status = 'EXPIRED', status_reason = 'not paid in time'
                    where order_no in (
                        select order_no from customer_order
                        where status = 'PENDING_PAYMENT' and expires_at <= :now
                        order by expires_at
                        limit :limit
                        for update skip locked)
                    returning order_no""")
                    .param("now", Timestamp.from(clock.instant())).param("limit", BATCH_MAX)
                    .query(String.class).list();
            int released = vault.release(orderNos);
            signals.changed(orderNos);
            if (!orderNos.isEmpty()) {
                log.info("Expired {} unpaid orders and released {} keys", orderNos.size(), released);
            }
            return orderNos.size();
        });
        return expired == null ? 0 : expired;
    }
}
