package kami.ordering.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import kami.inventory.KeyVault;
import kami.payment.Payments;
import kami.payment.Payments.FinalCheck;
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
    static final int CHECKS_IN_FLIGHT_MAX = 16;

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final KeyVault vault;
    private final Payments payments;
    private final OrderChangeSignals signals;
    private final Clock clock;

    ExpirySweeper(JdbcClient jdbc, TransactionTemplate transaction, KeyVault vault, Payments payments,
            OrderChangeSignals signals, Clock clock) {
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

    /**
     * Asks the channels about the due orders side by side, at most {@link #CHECKS_IN_FLIGHT_MAX} at a time: a slow
     * channel then holds a few slots for at most its call timeout (or none once its breaker is open) instead of
     * delaying every order behind it, and the sweep stays below a channel's bulkhead, whose overflow would only
     * make orders wait for the next sweep.
     */
    private List<String> notPaid(List<String> due) {
        List<String> expirable = new ArrayList<>();
        Semaphore slots = new Semaphore(CHECKS_IN_FLIGHT_MAX);
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<FinalCheck>> answers = due.stream()
                    .map(orderNo -> checks.submit(() -> {
                        slots.acquire();
                        try {
                            return payments.checkBeforeExpiry(orderNo);
                        } finally {
                            slots.release();
                        }
                    })).toList();
            for (int i = 0; i < due.size(); i++) {
                try {
                    if (answers.get(i).get() == FinalCheck.NOT_PAID) {
                        expirable.add(due.get(i));
                    }
                } catch (ExecutionException e) {
                    log.error("Final check of order {} failed; it is asked again on the next sweep", due.get(i),
                            e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return expirable;
                }
            }
        }
        return expirable;
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
            signals.changed(orderNos);
            if (!orderNos.isEmpty()) {
                log.info("Expired {} unpaid orders and released {} keys", orderNos.size(), released);
            }
        });
    }
}
