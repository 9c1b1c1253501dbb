package kami.settlement.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kami.ledger.Account;
import kami.ledger.Ledger;
import kami.ledger.TransferRequest;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settles payments whose delay is over: what is left of each payment's net moves from the merchant's pending
 * balance to its available balance, after first repaying what the merchant owes from earlier refunds. One
 * transaction per merchant and batch; rows a refund is booking right now are skipped and settled next time, and
 * the merchant's lock ({@link MerchantLocks}) keeps two instances from repaying the same debt twice.
 */
@Component
class SettlementSweeper {

    static final int BATCH_MAX = 500;

    private static final Logger log = LoggerFactory.getLogger(SettlementSweeper.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final BookAccounts accounts;
    private final TransactionTemplate transaction;
    private final MerchantLocks merchantLocks;
    private final Clock clock;
    private final Counter settled;

    SettlementSweeper(JdbcClient jdbc, Ledger ledger, BookAccounts accounts, TransactionTemplate transaction,
            MerchantLocks merchantLocks, Clock clock, MeterRegistry meters, Roles roles) {
        this.roles = roles;
        this.merchantLocks = merchantLocks;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.accounts = accounts;
        this.transaction = transaction;
        this.clock = clock;
        this.settled = meters.counter("kami.settlement.settled.payments");
    }

    @Scheduled(fixedDelayString = "${kami.settlement.sweep-interval:1m}",
            initialDelayString = "${kami.settlement.sweep-interval:1m}")
    void scheduled() {
        if (!roles.worker()) {
            return;
        }
        sweep();
    }

    /** Settles every payment due now; returns how many this call settled. */
    int sweep() {
        Instant now = clock.instant();
        int total = 0;
        while (true) {
            List<Long> merchants = jdbc.sql("""
                    select distinct merchant_id from settlement_payment
                    where settled_at is null and settle_at <= :now limit 100""")
                    .param("now", Timestamp.from(now)).query(Long.class).list();
            int round = 0;
            for (long merchantId : merchants) {
                round += Objects.requireNonNull(transaction.execute(status -> settle(merchantId, now)));
            }
            total += round;
            if (round == 0) {
                if (total > 0) {
                    log.info("Settled {} payments", total);
                }
                return total;
            }
        }
    }

    private int settle(long merchantId, Instant now) {
        merchantLocks.lock(merchantId);
        List<SettlementRow> due = jdbc.sql("""
                select * from settlement_payment
                where merchant_id = :merchant and settled_at is null and settle_at <= :now
                order by settle_at limit :limit
                for update skip locked""")
                .param("merchant", merchantId).param("now", Timestamp.from(now)).param("limit", BATCH_MAX)
                .query(SettlementRow.MAPPER).list();
        Map<String, List<SettlementRow>> byCurrency = new LinkedHashMap<>();
        due.forEach(row -> byCurrency.computeIfAbsent(row.currency(), c -> new ArrayList<>()).add(row));
        List<TransferRequest> transfers = new ArrayList<>();
        byCurrency.forEach((currency, rows) -> {
            BookAccounts.MerchantBook book = accounts.merchant(merchantId, currency);
            Account owedAccount = Balances.require(ledger, book.owed());
            long owed = owedAccount.debitBalanceMinor();
            for (SettlementRow row : rows) {
                long move = row.pendingMinor();
                long repay = Math.min(owed, move);
                owed -= repay;
                if (repay > 0) {
                    transfers.add(TransferRequest.posted(Transfers.debtRepayment(row.paymentNo()), book.pending(),
                            book.owed(), repay, currency, row.orderNo()));
                }
                if (move > repay) {
                    transfers.add(TransferRequest.posted(Transfers.settlement(row.paymentNo()), book.pending(),
                            book.available(), move - repay, currency, row.orderNo()));
                }
            }
        });
        PaymentBooks.requireApplied(ledger.transferAll(transfers), transfers);
        if (!due.isEmpty()) {
            jdbc.sql("""
                    update settlement_payment
                    set settled_at = :now, settled_minor = amount_minor - fee_minor - refunded_minor + fee_returned_minor
                    where payment_no in (:nos)""")
                    .param("now", Timestamp.from(now)).param("nos", due.stream().map(SettlementRow::paymentNo).toList())
                    .update();
        }
        settled.increment(due.size());
        return due.size();
    }
}
