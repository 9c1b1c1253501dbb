package kami.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import kami.ledger.Account;
import kami.ledger.LedgerIntegrationTest;
import kami.ledger.ReconciliationReport;
import kami.ledger.ReconciliationReport.Violation;
import kami.ledger.TransferRequest;
import kami.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciliation proves the invariants on the live database and names what breaks them. The database is shared,
 * so each test restores what it corrupted before it ends.
 */
class LedgerReconciliationTest extends LedgerIntegrationTest {

    @Autowired
    MeterRegistry meters;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aCleanLedgerReconcilesOkOnDemand() {
        Account wallet = wallet("CNY");
        fund(wallet, 300);

        Http.Response response = http.adminPost("/api/admin/ledger/reconciliation", "", "application/json");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("violations").size()).as(response.body()).isZero();
        assertThat(response.json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void aCorruptedRunningBalanceIsReportedWithItsAccountAndCounted() {
        Account wallet = wallet("CNY");
        fund(wallet, 300);
        double before = violationsCounted();
        corruptCredits(wallet, 7);
        try {
            ReconciliationReport report = ledger.reconcile();

            assertThat(report.ok()).isFalse();
            assertThat(violation(report, "running_balance_matches_transfers").ids())
                    .contains(String.valueOf(wallet.id()));
            assertThat(violation(report, "debits_equal_credits_per_currency").ids()).contains("CNY");
            assertThat(violationsCounted()).isGreaterThan(before);
        } finally {
            corruptCredits(wallet, -7);
        }
        assertThat(ledger.reconcile().violations()).isEmpty();
    }

    @Test
    void aTransferRowWhoseAccountsAreInAnotherCurrencyIsReportedAsUnbalanced() {
        Account yuan = clearing("CNY");
        Account dollars = clearing("USD");
        String transferId = unique("forged");
        insertForgedTransfer(transferId, yuan, dollars);
        try {
            ReconciliationReport report = ledger.reconcile();

            assertThat(violation(report, "transfer_currency_matches_accounts").ids()).containsExactly(transferId);
            assertThat(violation(report, "debits_equal_credits_per_currency").ids()).contains("CNY", "USD");
            assertThat(violation(report, "running_balance_matches_transfers").ids())
                    .contains(String.valueOf(yuan.id()), String.valueOf(dollars.id()));
        } finally {
            removeForgedTransfer(transferId);
        }
        assertThat(ledger.reconcile().violations()).isEmpty();
    }

    @Test
    void anOpenHoldMissingFromTheSweepersTableIsReported() {
        Account wallet = wallet("CNY");
        fund(wallet, 50);
        String hold = unique("hold");
        applied(ledger.transfer(TransferRequest.hold(hold, wallet.id(), clearing("CNY").id(), 50, "CNY", null,
                600L)));
        String expiresAt = jdbc.sql("delete from ledger_hold_expiry e using ledger_transfer t where t.id = e.hold_id "
                + "and t.transfer_id = :id returning e.expires_at::text").param("id", hold).query(String.class)
                .single();
        try {
            assertThat(violation(ledger.reconcile(), "open_holds_await_expiry").ids()).containsExactly(hold);
        } finally {
            jdbc.sql("insert into ledger_hold_expiry select id, cast(:at as timestamptz) from ledger_transfer "
                    + "where transfer_id = :id").param("at", expiresAt).param("id", hold).update();
        }
        assertThat(ledger.reconcile().violations()).isEmpty();
    }

    @Test
    void aHotAccountSpreadOverShardsReconcilesAndSumsItsShards() {
        Account platform = open(kami.ledger.AccountType.REVENUE, "CNY", kami.ledger.BalanceLimit.NONE, 16);
        Account payer = clearing("CNY");
        for (int i = 0; i < 64; i++) {
            applied(ledger.transfer(TransferRequest.posted(unique("fee"), payer.id(), platform.id(), 5, "CNY",
                    null)));
        }

        assertThat(reload(platform).creditsPostedMinor()).isEqualTo(320);
        long shardsUsed = jdbc.sql("select count(*) from ledger_account where parent_id = :id and credits_posted > 0")
                .param("id", platform.id()).query(Long.class).single();
        assertThat(shardsUsed).isGreaterThan(1);
        assertThat(ledger.reconcile().violations()).isEmpty();
    }

    private void corruptCredits(Account account, long byMinor) {
        jdbc.sql("update ledger_account set credits_posted = credits_posted + :by where id = :id")
                .param("by", byMinor).param("id", account.id()).update();
    }

    /** Bypasses the ledger (and so its currency rule) the way a faulty script or a bad restore would. */
    private void insertForgedTransfer(String transferId, Account debit, Account credit) {
        jdbc.sql("""
                insert into ledger_transfer (transfer_id, debit_account_id, credit_account_id, debit_shard_id,
                    credit_shard_id, amount_minor, currency, status, created_at)
                values (:id, :debit, :credit, :debit, :credit, 5, 'CNY', 'POSTED', :now)""")
                .param("id", transferId).param("debit", debit.id()).param("credit", credit.id())
                .param("now", Timestamp.from(Instant.now())).update();
    }

    /** Deleting is refused by the immutability trigger; replica mode skips triggers for this one transaction. */
    private void removeForgedTransfer(String transferId) {
        transaction.executeWithoutResult(status -> {
            jdbc.sql("set local session_replication_role = replica").update();
            jdbc.sql("delete from ledger_transfer where transfer_id = :id").param("id", transferId).update();
        });
    }

    private static Violation violation(ReconciliationReport report, String check) {
        return report.violations().stream().filter(v -> v.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no violation of " + check + " in " + report));
    }

    private double violationsCounted() {
        return meters.counter("kami.ledger.reconciliation.violations").count();
    }
}
