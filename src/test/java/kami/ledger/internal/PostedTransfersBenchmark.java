package kami.ledger.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import kami.ledger.Account;
import kami.ledger.AccountType;
import kami.ledger.BalanceLimit;
import kami.ledger.LedgerIntegrationTest;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import kami.support.Concurrently;
import org.junit.jupiter.api.Test;

/**
 * Posted transfers per second as the shop will make them: from the platform's clearing account (a hot account
 * in 16 shards) to one of many merchant balances. Not part of the suite (the name does not end in Test); run with
 * {@code ./mvnw -q -B test -Dtest=PostedTransfersBenchmark -Dkami.ledger.benchmark.transfers=50000} and, for
 * batched postings, {@code -Dkami.ledger.benchmark.batch=100}. The figure is printed, not asserted.
 */
class PostedTransfersBenchmark extends LedgerIntegrationTest {

    static final int THREADS = 32;
    static final int MERCHANTS = 256;
    static final int WARMUP_TRANSFERS = 2_000;

    @Test
    void postedTransfersPerSecond() throws Exception {
        int total = Integer.getInteger("kami.ledger.benchmark.transfers", 20_000);
        int batch = Integer.getInteger("kami.ledger.benchmark.batch", 1);
        Account clearing = open(AccountType.ASSET, "CNY", BalanceLimit.NONE, 16);
        List<Account> merchants = Stream.generate(() -> open(AccountType.LIABILITY, "CNY",
                BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS, 1)).limit(MERCHANTS).toList();
        String run = unique("bench");
        run(run + "-warmup", WARMUP_TRANSFERS, batch, clearing, merchants);

        long started = System.nanoTime();
        run(run, total, batch, clearing, merchants);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("Ledger benchmark: %d posted transfers in batches of %d by %d threads in %d ms = %.0f "
                + "transfers/s%n", total, batch, THREADS, elapsedMillis, total * 1000.0 / Math.max(1, elapsedMillis));
        if (!ledger.reconcile().ok()) {
            throw new AssertionError("ledger does not reconcile after the benchmark");
        }
    }

    private void run(String prefix, int count, int batch, Account clearing, List<Account> merchants)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        Concurrently.startTogether(THREADS, () -> {
            for (int n = next.getAndAdd(batch); n < count; n = next.getAndAdd(batch)) {
                List<TransferRequest> requests = new ArrayList<>();
                for (int i = n; i < Math.min(count, n + batch); i++) {
                    Account merchant = merchants.get(ThreadLocalRandom.current().nextInt(MERCHANTS));
                    requests.add(TransferRequest.posted(prefix + "-" + i, clearing.id(), merchant.id(), 100, "CNY",
                            "order"));
                }
                for (TransferResult result : ledger.transferAll(requests)) {
                    if (!(result instanceof TransferResult.Applied)) {
                        throw new AssertionError(result);
                    }
                }
            }
            return null;
        });
    }
}
