package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

class LedgerHistoryTest extends LedgerIntegrationTest {

    @Autowired
    private TransactionTemplate transaction;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void anAccountsHistoryIsPagedNewestFirstWithTheBalanceAfterEachTransfer() {
        Account wallet = wallet("CNY");
        Account shop = open(AccountType.LIABILITY, "CNY", BalanceLimit.NONE, 1);
        fund(wallet, 1_000);
        String spend = unique("spend");
        applied(ledger.transfer(TransferRequest.posted(spend, wallet.id(), shop.id(), 300, "CNY", "order-1")));
        String hold = unique("hold");
        applied(ledger.transfer(TransferRequest.hold(hold, wallet.id(), shop.id(), 200, "CNY", "order-2", null)));
        applied(ledger.post(ResolvePending.whole(hold)));

        List<AccountEntry> all = new ArrayList<>();
        Long before = null;
        List<AccountEntry> page;
        do {
            page = ledger.history(wallet.id(), before, 2);
            all.addAll(page);
            before = page.isEmpty() ? null : page.getLast().sequence();
        } while (page.size() == 2);

        assertThat(all).extracting(AccountEntry::status).containsExactly(TransferStatus.POSTED,
                TransferStatus.PENDING, TransferStatus.POSTED, TransferStatus.POSTED);
        assertThat(all).extracting(AccountEntry::side).containsExactly(AccountEntry.Side.DEBIT,
                AccountEntry.Side.DEBIT, AccountEntry.Side.DEBIT, AccountEntry.Side.CREDIT);
        assertThat(all).extracting(AccountEntry::creditBalanceAfterMinor).containsExactly(500L, 700L, 700L, 1_000L);
        assertThat(all.get(0).pendingTransferId()).isEqualTo(hold);
        assertThat(all.get(2).transferId()).isEqualTo(spend);
        assertThat(all.get(2).counterpartAccountId()).isEqualTo(shop.id());
        assertThat(all.getFirst().creditBalanceAfterMinor()).isEqualTo(reload(wallet).creditBalanceMinor());
        assertThat(all.stream().mapToLong(AccountEntry::postedCreditEffectMinor).sum()).isEqualTo(500);

        JsonNode overHttp = http.adminGet("/api/admin/ledger/accounts/" + wallet.id() + "/entries?limit=3").json();
        assertThat(overHttp.get("entries")).hasSize(3);
        assertThat(overHttp.get("nextBefore").asLong()).isEqualTo(all.get(2).sequence());
        assertThat(http.adminGet("/api/admin/ledger/accounts/" + wallet.id() + "/entries?limit=0").status())
                .isEqualTo(400);
    }

    @Test
    void aRejectedTransferInTheCallersTransactionLeavesTheCallersWorkCommittable() {
        Account wallet = wallet("CNY");
        Account shop = open(AccountType.LIABILITY, "CNY", BalanceLimit.NONE, 1);
        fund(wallet, 100);
        String marker = unique("caller-row");
        String overdraft = unique("overdraft");
        String spend = unique("spend");

        transaction.executeWithoutResult(status -> {
            jdbc.sql("insert into merchant (name, created_at) values (:name, now())").param("name", marker).update();
            assertThat(rejected(ledger.transfer(TransferRequest.posted(overdraft, wallet.id(), shop.id(), 101,
                    "CNY", null)))).isEqualTo(TransferRejection.EXCEEDS_CREDITS);
            applied(ledger.transfer(TransferRequest.posted(spend, wallet.id(), shop.id(), 100, "CNY", null)));
        });

        assertThat(jdbc.sql("select count(*) from merchant where name = :name").param("name", marker)
                .query(Long.class).single()).isOne();
        assertThat(ledger.transfer(overdraft)).isEmpty();
        assertThat(ledger.transfer(spend)).isPresent();
        assertThat(reload(wallet).creditBalanceMinor()).isZero();
    }

    @Test
    void aTransferRolledBackWithTheCallersTransactionLeavesNoTrace() {
        Account wallet = wallet("CNY");
        Account shop = open(AccountType.LIABILITY, "CNY", BalanceLimit.NONE, 1);
        fund(wallet, 100);
        String spend = unique("spend");

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            applied(ledger.transfer(TransferRequest.posted(spend, wallet.id(), shop.id(), 60, "CNY", null)));
            throw new DataIntegrityViolationException("the caller's own write failed");
        })).isInstanceOf(DataIntegrityViolationException.class);

        assertThat(ledger.transfer(spend)).isEmpty();
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(100);
    }
}
