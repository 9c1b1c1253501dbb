package kami.ledger;

import java.util.Optional;

/** The ledger's API for other modules and the admin endpoints. Expected rejections are values, never exceptions. */
public interface Ledger {

    AccountResult open(NewAccount account);

    Optional<Account> account(long accountId);

    Optional<Account> accountByCode(String code);

    /** A single-phase transfer (posted at once) or, with {@code pending}, a hold. */
    TransferResult transfer(TransferRequest request);

    /** Posts all or part of a hold; the rest of the held amount is released. */
    TransferResult post(ResolvePending request);

    /** Releases a hold entirely. */
    TransferResult voidPending(ResolvePending request);

    Optional<Transfer> transfer(String transferId);

    /** Checks the ledger's invariants on the live database now; violations are also alerted. */
    ReconciliationReport reconcile();
}
