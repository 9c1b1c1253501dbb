package kami.ledger.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import kami.ledger.ReconciliationReport;
import kami.ledger.ReconciliationReport.Violation;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Proves the ledger's invariants on the live database, on a schedule and on demand. All checks read one
 * snapshot (repeatable read), so transfers committed meanwhile cannot make a clean ledger look broken. Each
 * violation is logged as an {@code ALERT} line with the offending ids and counted in
 * {@code kami.ledger.reconciliation.violations}.
 */
@Component
class LedgerReconciliation {

    /** Offending ids reported per check; the count in the detail says how many there are in all. */
    static final int IDS_PER_VIOLATION_MAX = 100;

    private static final Logger log = LoggerFactory.getLogger(LedgerReconciliation.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final TransactionTemplate snapshot;
    private final Counter violations;
    private final Clock clock;

    LedgerReconciliation(JdbcClient jdbc, PlatformTransactionManager transactions, MeterRegistry meters,
            Clock clock, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.violations = Counter.builder("kami.ledger.reconciliation.violations")
                .description("Ledger invariants found broken by reconciliation").register(meters);
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${kami.ledger.reconciliation-interval:5m}",
            initialDelayString = "${kami.ledger.reconciliation-interval:5m}")
    void scheduled() {
        if (!roles.worker()) {
            return;
        }
        run();
    }

    ReconciliationReport run() {
        List<Violation> found = Objects.requireNonNull(snapshot.execute(status -> {
            List<Violation> list = new ArrayList<>();
            check(list, "transfer_id_unique", LedgerChecks.DUPLICATE_TRANSFER_IDS,
                    "transfer ids recorded more than once");
            check(list, "hold_resolved_at_most_once", LedgerChecks.HOLDS_RESOLVED_TWICE,
                    "holds posted or voided more than once");
            check(list, "resolution_matches_hold", LedgerChecks.RESOLUTIONS_UNLIKE_THEIR_HOLD,
                    "resolutions whose accounts, currency or amount differ from their hold's");
            check(list, "open_holds_await_expiry", LedgerChecks.HOLD_EXPIRIES_UNLIKE_OPEN_HOLDS,
                    "holds whose entry for the expiry sweeper is missing, wrong or left after resolution");
            check(list, "transfer_currency_matches_accounts", LedgerChecks.TRANSFERS_ACROSS_CURRENCIES,
                    "transfers whose currency differs from an account's, or whose account rows are missing or "
                    + "belong to another account");
            check(list, "debits_equal_credits_per_currency", LedgerChecks.UNBALANCED_CURRENCIES,
                    "currencies whose debits and credits differ");
            check(list, "running_balance_matches_transfers", LedgerChecks.RUNNING_BALANCES_UNLIKE_TRANSFERS,
                    "account rows whose running balances differ from the sums of their transfers");
            check(list, "balance_limit_holds", LedgerChecks.BALANCE_LIMITS_BROKEN,
                    "account rows below zero on a side their limit protects");
            return list;
        }));
        for (Violation violation : found) {
            log.error("ALERT ledger reconciliation: {} violated by {}: {}", violation.check(), violation.ids(),
                    violation.detail());
        }
        violations.increment(found.size());
        return new ReconciliationReport(found.isEmpty(), clock.instant(), List.copyOf(found));
    }

    private void check(List<Violation> found, String check, String sql, String what) {
        List<String> ids = jdbc.sql(sql).query((rs, n) -> rs.getString(1)).list();
        if (!ids.isEmpty()) {
            List<String> reported = ids.subList(0, Math.min(ids.size(), IDS_PER_VIOLATION_MAX));
            found.add(new Violation(check, List.copyOf(reported), ids.size() + " " + what));
        }
    }
}
