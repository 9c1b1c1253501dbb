package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import kami.support.Concurrently;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transfers between accounts without a limit insert their row and move both balances in one statement. Racing in
 * both directions over the same two balance rows, inside callers' transactions (where the ledger cannot retry a
 * broken lock cycle but must throw), they never deadlock, every one is applied once, and the balances are the sums.
 */
class LedgerUnlimitedTransfersUnderConcurrencyTest extends LedgerIntegrationTest {

    private static final int THREADS = 32;
    private static final int TRANSFERS_PER_THREAD = 20;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void transfersBothWaysOverTheSameRowsNeverDeadlockAndAddUp() throws Exception {
        Account clearing = clearing("CNY");
        Account revenue = open(AccountType.REVENUE, "CNY", BalanceLimit.NONE, 1);
        TransactionTemplate callerTransaction = new TransactionTemplate(transactions);
        AtomicInteger thread = new AtomicInteger();
        ConcurrentLinkedQueue<TransferRequest> applied = new ConcurrentLinkedQueue<>();

        List<List<String>> failures = Concurrently.startTogether(THREADS, () -> {
            int t = thread.getAndIncrement();
            List<String> failed = new ArrayList<>();
            for (int n = 0; n < TRANSFERS_PER_THREAD; n++) {
                boolean forward = (t + n) % 2 == 0;
                long from = forward ? clearing.id() : revenue.id();
                long to = forward ? revenue.id() : clearing.id();
                String id = unique("both-ways");
                TransferRequest request = n % 5 == 4
                        ? TransferRequest.hold(id, from, to, 1 + t, "CNY", null, null)
                        : TransferRequest.posted(id, from, to, 1 + t, "CNY", null);
                try {
                    TransferResult result = callerTransaction.execute(status -> ledger.transfer(request));
                    if (result instanceof TransferResult.Applied a && !a.replayed()) {
                        applied.add(request);
                    } else {
                        failed.add(id + ": " + result);
                    }
                } catch (RuntimeException e) {
                    failed.add(id + ": " + e);
                }
            }
            return failed;
        });

        assertThat(failures.stream().flatMap(List::stream).toList()).as("deadlocks or refusals").isEmpty();
        assertThat(applied).hasSize(THREADS * TRANSFERS_PER_THREAD);
        Account clearingAfter = reload(clearing);
        Account revenueAfter = reload(revenue);
        assertThat(clearingAfter.debitsPostedMinor()).isEqualTo(sum(applied, clearing, true, false));
        assertThat(clearingAfter.creditsPostedMinor()).isEqualTo(sum(applied, clearing, false, false));
        assertThat(clearingAfter.debitsPendingMinor()).isEqualTo(sum(applied, clearing, true, true));
        assertThat(clearingAfter.creditsPendingMinor()).isEqualTo(sum(applied, clearing, false, true));
        assertThat(revenueAfter.debitsPostedMinor()).isEqualTo(sum(applied, revenue, true, false));
        assertThat(revenueAfter.creditsPostedMinor()).isEqualTo(sum(applied, revenue, false, false));
        assertThat(revenueAfter.debitsPendingMinor()).isEqualTo(sum(applied, revenue, true, true));
        assertThat(revenueAfter.creditsPendingMinor()).isEqualTo(sum(applied, revenue, false, true));
        assertThat(ledger.reconcile().violations()).isEmpty();
    }

    @Test
    void aRetryMovesNothingAndADifferentTransferUnderTheSameIdIsRefused() {
        Account clearing = clearing("CNY");
        Account revenue = open(AccountType.REVENUE, "CNY", BalanceLimit.NONE, 1);
        TransferRequest first = TransferRequest.posted(unique("once"), clearing.id(), revenue.id(), 700, "CNY", "x");

        Transfer recorded = applied(ledger.transfer(first));
        TransferResult retry = ledger.transfer(first);
        TransferResult other = ledger.transfer(TransferRequest.posted(first.transferId(), clearing.id(),
                revenue.id(), 701, "CNY", "x"));

        assertThat(retry).isInstanceOfSatisfying(TransferResult.Applied.class, replay -> {
            assertThat(replay.replayed()).isTrue();
            assertThat(replay.transfer().transferId()).isEqualTo(recorded.transferId());
            assertThat(replay.transfer().amountMinor()).isEqualTo(700);
        });
        assertThat(rejected(other)).isEqualTo(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(reload(revenue).creditsPostedMinor()).isEqualTo(700);
        assertThat(reload(clearing).debitsPostedMinor()).isEqualTo(700);
    }

    private static long sum(Iterable<TransferRequest> transfers, Account account, boolean debits, boolean pending) {
        long sum = 0;
        for (TransferRequest transfer : transfers) {
            long side = debits ? transfer.debitAccountId() : transfer.creditAccountId();
            if (side == account.id() && transfer.pending() == pending) {
                sum += transfer.amountMinor();
            }
        }
        return sum;
    }
}
