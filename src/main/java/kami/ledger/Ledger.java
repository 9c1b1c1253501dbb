package kami.ledger;

import java.util.List;
import java.util.Optional;

/** The ledger's API for other modules and the admin endpoints. Expected rejections are values, never exceptions. */
public interface Ledger {

    AccountResult open(NewAccount account);

    Optional<Account> account(long accountId);

    Optional<Account> accountByCode(String code);

    /** A single-phase transfer (posted at once) or, with {@code pending}, a hold. */
    TransferResult transfer(TransferRequest request);

    /**
     * Up to {@code BATCH_MAX} transfers in one database transaction, each answered on its own (a rejected one
     * does not stop the others), committed together. A later transfer with the id of an earlier one in the same
     * batch is answered as a retry of it. Batching is how a busy caller reaches thousands of transfers per second:
     * the commit, not the work, is what each transaction waits for.
     */
    List<TransferResult> transferAll(List<TransferRequest> requests);

    /** The most transfers {@link #transferAll} takes at once. */
    int BATCH_MAX = 1_000;

    /** Posts all or part of a hold; the rest of the held amount is released. */
    TransferResult post(ResolvePending request);

    /** Releases a hold entirely. */
    TransferResult voidPending(ResolvePending request);

    Optional<Transfer> transfer(String transferId);

    /** Checks the ledger's invariants on the live database now; violations are also alerted. */
    ReconciliationReport reconcile();
}
