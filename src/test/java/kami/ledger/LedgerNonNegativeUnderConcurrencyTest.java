package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kami.support.Concurrently;
import kami.support.Http;
import org.junit.jupiter.api.Test;

/** An account that may not go negative never does, however many debits race for its balance. */
class LedgerNonNegativeUnderConcurrencyTest extends LedgerIntegrationTest {

    @Test
    void thirtyTwoConcurrentDebitsOverdrawNothing() throws Exception {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 1_000);

        List<Http.Response> responses = Concurrently.startTogether(32, () -> postTransfer(Map.of(
                "transferId", unique("spend"), "debitAccountId", wallet.id(), "creditAccountId", shop.id(),
                "amountMinor", 100, "currency", "CNY")));

        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(10);
        assertThat(responses).filteredOn(r -> r.status() != 201).allSatisfy(r -> assertThat(r.code())
                .isEqualTo("EXCEEDS_CREDITS"));
        assertThat(reload(wallet).creditBalanceMinor()).isZero();
        assertThat(reload(shop).creditsPostedMinor()).isEqualTo(1_000);
    }

    @Test
    void holdsAndDebitsRacingTogetherNeverReserveMoreThanTheBalance() throws Exception {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 1_000);

        List<TransferResult> results = Concurrently.startTogether(32, () -> {
            String id = unique("race");
            boolean hold = id.hashCode() % 2 == 0;
            return ledger.transfer(new TransferRequest(id, wallet.id(), shop.id(), 70, "CNY", null, hold,
                    hold ? 60L : null));
        });

        long applied = results.stream().filter(r -> r instanceof TransferResult.Applied).count();
        assertThat(applied).isEqualTo(1_000 / 70);
        Account after = reload(wallet);
        assertThat(after.debitsPostedMinor() + after.debitsPendingMinor()).isEqualTo(applied * 70);
        assertThat(after.creditsPostedMinor() - after.debitsPostedMinor() - after.debitsPendingMinor())
                .isGreaterThanOrEqualTo(0);
    }
}
