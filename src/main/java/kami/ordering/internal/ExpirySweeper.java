package kami.ordering.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import kami.inventory.KeyVault;
import kami.ordering.OrderStatus;
import kami.payment.Payments;
import kami.payment.Payments.FinalCheck;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expires unpaid orders past their deadline and puts their keys back on sale, in batches. Before an order
 * expires its channel is asked one last time (outside any transaction): a payment it confirms is recorded and
 * the order is paid instead; when the channel cannot answer, the order waits for the next sweep. Orders a
 * payment is being applied to at this moment are locked and skipped; the next sweep sees their final state.
 */
@Component
class ExpirySweeper {

    static final int BATCH_MAX = 500;

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final KeyVault vault;
    private final Payments payments;
    private final OrderChangeSignals signals;
    private final Clock clock;

    ExpirySweeper(JdbcClient jdbc, TransactionTemplate transaction, KeyVault vault, Payments payments,
            OrderChangeSignals signals, Clock clock, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.vault = vault;
        this.payments = payments;
        this.signals = signals;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${kami.orders.expiry-sweep-interval:5s}",
            initialDelayString = "${kami.orders.expiry-sweep-interval:5s}")
    void sweep() {
        if (!roles.worker()) {
            return;
        }
        String after = "";
        while (true) {
            List<String> due = dueAfter(after);
            if (due.isEmpty()) {
                return;
            }
            expire(notPaid(due));
            if (due.size() < BATCH_MAX) {
                return;
            }
            after = due.getLast();
        }
    }

    /** The due orders their channels say were not paid (see {@link Payments#checkAllBeforeExpiry}). */
    private List<String> notPaid(List<String> due) {
        return payments.checkAllBeforeExpiry(due).entrySet().stream()
                .filter(check -> check.getValue() == FinalCheck.NOT_PAID).map(Map.Entry::getKey).toList();
    }

    /** Orders past their deadline, by order number, so that orders left waiting are not fetched again. */
    private List<String> dueAfter(String after) {
        return jdbc.sql("""
                select order_no from customer_order
                where status = 'PENDING_PAYMENT' and expires_at <= :now and order_no > :after
                order by order_no
                limit :limit""")
                .param("now", Timestamp.from(clock.instant())).param("after", after).param("limit", BATCH_MAX)
                .query(String.class).list();
    }

    private void expire(List<String> candidates) {
        if (candidates.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            List<String> orderNos = jdbc.sql("""
                    update customer_order set status = 'EXPIRED', status_reason = 'not paid in time'
                    where order_no in (
                        select order_no from customer_order
                        where order_no in (:candidates) and status = 'PENDING_PAYMENT' and expires_at <= :now
                        for update skip locked)
                    returning order_no""")
                    .param("candidates", candidates).param("now", Timestamp.from(clock.instant()))
                    .query(String.class).list();
            int released = vault.release(orderNos);
            signals.changed(orderNos, OrderStatus.EXPIRED);
            if (!orderNos.isEmpty()) {
                log.info("Expired {} unpaid orders and released {} keys", orderNos.size(), released);
            }
        });
    }
}
