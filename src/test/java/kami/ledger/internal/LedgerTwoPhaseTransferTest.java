package kami.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import kami.ledger.Account;
import kami.ledger.LedgerIntegrationTest;
import kami.ledger.ResolvePending;
import kami.ledger.Transfer;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A hold reserves money; it is posted (wholly or partly) or voided once, and voided by the sweeper on expiry. */
class LedgerTwoPhaseTransferTest extends LedgerIntegrationTest {

    @Autowired
    HoldExpirySweeper sweeper;

    @Test
    void aHoldReservesTheAmountSoOtherDebitsCannotSpendIt() {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 100);

        applied(ledger.transfer(hold(unique("hold"), wallet, shop, 80, null)));

        assertThat(reload(wallet).debitsPendingMinor()).isEqualTo(80);
        assertThat(rejected(ledger.transfer(TransferRequest.posted(unique("t"), wallet.id(), shop.id(), 21, "CNY",
                null)))).isEqualTo(TransferRejection.EXCEEDS_CREDITS);
    }

    @Test
    void postingPartOfAHoldPostsThatPartAndReleasesTheRest() {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 100);
        String hold = unique("hold");
        applied(ledger.transfer(hold(hold, wallet, shop, 80, null)));

        Transfer posted = applied(ledger.post(new ResolvePending(hold, null, 30L)));

        assertThat(posted.status()).isEqualTo(TransferStatus.POSTED);
        assertThat(posted.pendingTransferId()).isEqualTo(hold);
        Account after = reload(wallet);
        assertThat(after.debitsPendingMinor()).isZero();
        assertThat(after.creditBalanceMinor()).isEqualTo(70);
        assertThat(ledger.transfer(hold).orElseThrow().resolution()).isEqualTo(TransferStatus.POSTED);
    }

    @Test
    void aHoldIsResolvedOnceAndARetryOfTheResolutionIsAnsweredWithIt() {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 100);
        String hold = unique("hold");
        applied(ledger.transfer(hold(hold, wallet, shop, 50, null)));

        applied(ledger.voidPending(ResolvePending.whole(hold)));

        assertThat(ledger.voidPending(ResolvePending.whole(hold))).isInstanceOfSatisfying(
                kami.ledger.TransferResult.Applied.class, replay -> assertThat(replay.replayed()).isTrue());
        assertThat(rejected(ledger.post(ResolvePending.whole(hold))))
                .isEqualTo(TransferRejection.PENDING_TRANSFER_ALREADY_VOIDED);
        assertThat(rejected(ledger.post(new ResolvePending(hold, unique("p"), 60L))))
                .isEqualTo(TransferRejection.EXCEEDS_PENDING_TRANSFER_AMOUNT);
        assertThat(rejected(ledger.post(ResolvePending.whole(unique("missing")))))
                .isEqualTo(TransferRejection.PENDING_TRANSFER_NOT_FOUND);
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(100);
        assertThat(reload(wallet).debitsPendingMinor()).isZero();
    }

    @Test
    void anExpiredHoldCannotBePostedAndTheSweeperVoidsIt() {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 100);
        String hold = unique("hold");
        applied(ledger.transfer(hold(hold, wallet, shop, 40, 60L)));

        clock.advance(Duration.ofSeconds(61));

        assertThat(rejected(ledger.post(ResolvePending.whole(hold))))
                .isEqualTo(TransferRejection.PENDING_TRANSFER_EXPIRED);
        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(ledger.transfer(hold).orElseThrow().resolution()).isEqualTo(TransferStatus.VOIDED);
        assertThat(reload(wallet).debitsPendingMinor()).isZero();
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(100);
    }

    @Test
    void theAdminApiPostsAndVoidsHolds() {
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        fund(wallet, 100);
        String first = unique("hold");
        String second = unique("hold");
        applied(ledger.transfer(hold(first, wallet, shop, 10, 300L)));
        applied(ledger.transfer(hold(second, wallet, shop, 20, 300L)));

        var posted = http.adminPost("/api/admin/ledger/transfers/" + first + "/post", "", "application/json");
        var voided = http.adminPost("/api/admin/ledger/transfers/" + second + "/void", "", "application/json");
        var again = http.adminPost("/api/admin/ledger/transfers/" + second + "/post", "", "application/json");

        assertThat(posted.status()).isEqualTo(201);
        assertThat(voided.status()).isEqualTo(201);
        assertThat(again.code()).isEqualTo("PENDING_TRANSFER_ALREADY_VOIDED");
        assertThat(http.adminGet("/api/admin/ledger/accounts/" + wallet.id()).json().get("creditsPostedMinor")
                .asLong()).isEqualTo(100);
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(90);
    }

    private static TransferRequest hold(String id, Account debit, Account credit, long amountMinor,
            Long timeoutSeconds) {
        return TransferRequest.hold(id, debit.id(), credit.id(), amountMinor, debit.currency(), "order-7",
                timeoutSeconds);
    }
}
