package kami.ledger;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's API for other modules and the admin endpoints. Expected rejections are values, never exceptions.
 *
 * <p>Every call runs in the caller's transaction when there is one, so that a module can change its own rows and
 * post transfers atomically; a rejected transfer then leaves the caller's transaction usable (the ledger rolls
 * back to a savepoint). Without a transaction each call is its own, and races for the same transfer id or a lock
 * cycle are retried inside the ledger; inside the caller's transaction they surface as exceptions and the caller
 * retries the whole transaction.
 */
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

    /**
     * The account's transfers, newest first, at most {@code limit} (1 to {@code HISTORY_MAX}) of them, starting
     * below the sequence {@code beforeSequence} (null: from the newest). Pass the last entry's sequence to read
     * the next page. For a sharded account, the transfers of all its shards.
     */
    List<AccountEntry> history(long accountId, @Nullable Long beforeSequence, int limit);

    /** The most entries {@link #history} answers at once. */
    int HISTORY_MAX = 1_000;

    /** Checks the ledger's invariants on the live database now; violations are also alerted. */
    ReconciliationReport reconcile();
}
