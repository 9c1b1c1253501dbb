package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kami.support.Concurrently;
import org.junit.jupiter.api.Test;

/** A batch answers each transfer on its own and commits the applied ones together. */
class LedgerBatchTransfersTest extends LedgerIntegrationTest {

    @Test
    void aRejectedTransferDoesNotStopTheOthersInItsBatch() {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 100);

        List<TransferResult> results = ledger.transferAll(List.of(
                spend(unique("a"), wallet, shop, 60), spend(unique("b"), wallet, shop, 60),
                spend(unique("c"), wallet, shop, 40)));

        assertThat(results.get(0)).isInstanceOf(TransferResult.Applied.class);
        assertThat(rejected(results.get(1))).isEqualTo(TransferRejection.EXCEEDS_CREDITS);
        assertThat(results.get(2)).isInstanceOf(TransferResult.Applied.class);
        assertThat(reload(wallet).creditBalanceMinor()).isZero();
    }

    @Test
    void aRepeatedIdInABatchOrARepeatedBatchIsAnsweredAsARetry() {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 100);
        TransferRequest once = spend(unique("once"), wallet, shop, 10);
        TransferRequest changed = spend(once.transferId(), wallet, shop, 11);

        List<TransferResult> first = ledger.transferAll(List.of(once, once, changed));
        List<TransferResult> again = ledger.transferAll(List.of(once, changed));

        assertThat(first.get(0)).isEqualTo(new TransferResult.Applied(applied(first.get(0)), false));
        assertThat(first.get(1)).isEqualTo(new TransferResult.Applied(applied(first.get(0)), true));
        assertThat(rejected(first.get(2))).isEqualTo(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(again.get(0)).isInstanceOfSatisfying(TransferResult.Applied.class,
                replay -> assertThat(replay.replayed()).isTrue());
        assertThat(rejected(again.get(1))).isEqualTo(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(90);
    }

    @Test
    void concurrentBatchesAndLoneTransfersNeverOverdrawAWallet() throws Exception {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 5_000);

        List<Long> spent = Concurrently.startTogether(16, () -> {
            List<TransferRequest> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(spend(unique("s"), wallet, shop, 30));
            }
            long applied = ledger.transferAll(batch).stream().filter(r -> r instanceof TransferResult.Applied)
                    .count();
            long alone = ledger.transfer(spend(unique("s"), wallet, shop, 30)) instanceof TransferResult.Applied
                    ? 1 : 0;
            return (applied + alone) * 30;
        });

        long total = spent.stream().mapToLong(Long::longValue).sum();
        assertThat(total).isEqualTo(5_000 / 30 * 30);
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(5_000 - total).isGreaterThanOrEqualTo(0);
        assertThat(ledger.reconcile().violations()).isEmpty();
    }

    private static TransferRequest spend(String id, Account from, Account to, long amountMinor) {
        return TransferRequest.posted(id, from.id(), to.id(), amountMinor, "CNY", null);
    }
}
