package kami.ledger;

import java.time.Instant;
import java.util.List;

/** What a reconciliation of the ledger found: ok when no invariant is violated. */
public record ReconciliationReport(boolean ok, Instant checkedAt, List<Violation> violations) {

    /**
     * One broken invariant.
     *
     * @param check the invariant, such as {@code running_balance_matches_transfers}
     * @param ids the offending account ids, transfer ids or currencies
     */
    public record Violation(String check, List<String> ids, String detail) {
    }
}
