package kami.ledger.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Objects;
import java.util.Optional;
import kami.ledger.Account;
import kami.ledger.AccountEntry;
import kami.ledger.AccountRejection;
import kami.ledger.AccountResult;
import kami.ledger.BalanceLimit;
import kami.ledger.Ledger;
import kami.ledger.NewAccount;
import kami.ledger.ReconciliationReport;
import kami.ledger.ResolvePending;
import kami.ledger.Transfer;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import kami.ledger.TransferStatus;
import kami.ledger.internal.domain.AccountRules;
import kami.ledger.internal.domain.AccountTerms;
import kami.ledger.internal.domain.Balance;
import kami.ledger.internal.domain.TransferRules;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger on PostgreSQL. A batch of transfers (a single transfer is a batch of one) is one transaction: look
 * up the transfer ids already recorded (retries), lock every balance row the others touch in id order, apply the
 * transfers one by one with {@link Balance} in memory, insert the accepted transfer rows (their unique ids make a
 * concurrent duplicate wait, then lose) and write the balance rows. Account rows are locked in id order and
 * transfer rows inserted in id order. A lone transfer inserts before it locks (see {@link #applySingle}); only a
 * lone transfer and a batch racing with the same transfer id can then wait for each other in a cycle, which
 * PostgreSQL breaks by failing one of them, and that one is tried again.
 */
@Service
class JdbcLedger implements Ledger {

    /** Tries of a batch that lost a race for a transfer id; each loss means the next try sees the winner. */
    static final int ATTEMPTS_MAX = 5;

    private final AccountStore accounts;
    private final TransferStore transfers;
    private final LedgerReconciliation reconciliation;
    private final TransactionTemplate transaction;
    private final Clock clock;

    JdbcLedger(AccountStore accounts, TransferStore transfers, LedgerReconciliation reconciliation,
            TransactionTemplate transaction, Clock clock) {
        this.accounts = accounts;
        this.transfers = transfers;
        this.reconciliation = reconciliation;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Override
    public AccountResult open(NewAccount account) {
        AccountRejection rejection = AccountRules.validate(account);
        if (rejection != null) {
            return new AccountResult.Rejected(rejection);
        }
        Optional<Long> id = transaction.execute(status -> accounts.insert(account, now()));
        Account opened = accounts.byCode(account.code()).orElseThrow();
        boolean same = opened.owner().equals(account.owner()) && opened.type() == account.type()
                && opened.currency().equals(account.currency()) && opened.limit() == account.limit()
                && opened.shardCount() == account.shardCount();
        if (!same) {
            return new AccountResult.Rejected(AccountRejection.EXISTS_WITH_DIFFERENT_FIELDS);
        }
        return new AccountResult.Opened(opened, Objects.requireNonNull(id).isEmpty());
    }

    @Override
    public Optional<Account> account(long accountId) {
        return accounts.byId(accountId);
    }

    @Override
    public Optional<Account> accountByCode(String code) {
        return accounts.byCode(code);
    }

    @Override
    public Optional<Transfer> transfer(String transferId) {
        return transfers.find(transferId).map(TransferStore.Row::transfer);
    }

    @Override
    public List<AccountEntry> history(long accountId, @Nullable Long beforeSequence, int limit) {
        if (limit < 1 || limit > HISTORY_MAX) {
            throw new IllegalArgumentException("limit must be 1 to " + HISTORY_MAX + ": " + limit);
        }
        return transfers.history(accountId, beforeSequence, limit);
    }

    @Override
    public ReconciliationReport reconcile() {
        return reconciliation.run();
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        return transferAll(List.of(request)).getFirst();
    }

    /**
     * A valid transfer of a batch, with its position in the batch and the row it would insert; it can be refused
     * for a balance limit only if one of its accounts has one.
     */
    private record Candidate(int index, TransferRequest request, TransferStore.NewRow row, boolean limited) {
    }

    /** Thrown inside a transaction to roll it back when a concurrent transaction took one of its transfer ids. */
    private static final class TransferIdTaken extends RuntimeException {

        TransferIdTaken() {
            super(null, null, false, false);
        }
    }

    @Override
    public List<TransferResult> transferAll(List<TransferRequest> requests) {
        if (requests.size() > BATCH_MAX) {
            throw new IllegalArgumentException("at most " + BATCH_MAX + " transfers per batch: " + requests.size());
        }
        TransferResult[] results = new TransferResult[requests.size()];
        Map<String, Integer> firstIndexById = new HashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        Instant now = now();
        for (int i = 0; i < requests.size(); i++) {
            TransferRequest request = requests.get(i);
            AccountTerms debit = accounts.terms(request.debitAccountId()).orElse(null);
            AccountTerms credit = accounts.terms(request.creditAccountId()).orElse(null);
            TransferRejection rejection = TransferRules.validate(request, debit, credit);
            if (rejection != null) {
                results[i] = new TransferResult.Rejected(rejection);
            } else if (firstIndexById.putIfAbsent(request.transferId(), i) == null) {
                candidates.add(new Candidate(i, request, newRow(request, Objects.requireNonNull(debit),
                        Objects.requireNonNull(credit), now),
                        debit.limit() != BalanceLimit.NONE || credit.limit() != BalanceLimit.NONE));
            }
        }
        if (!candidates.isEmpty()) {
            applyWithRetries(candidates, now).forEach((index, result) -> results[index] = result);
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                int first = firstIndexById.get(requests.get(i).transferId());
                results[i] = retryWithinBatch(requests.get(i), requests.get(first), results[first]);
            }
        }
        return List.of(results);
    }

    /**
     * Applies the batch in one transaction. When a concurrent transaction inserted one of its transfer ids after
     * this one looked, or the database broke a lock cycle, everything rolls back and the batch is tried again;
     * the next try sees the other transfer as recorded.
     */
    private Map<Integer, TransferResult> applyWithRetries(List<Candidate> candidates, Instant now) {
        boolean callerTransaction = TransactionSynchronizationManager.isActualTransactionActive();
        for (int attempt = 1; ; attempt++) {
            try {
                boolean lookUpFirst = attempt > 1;
                return Objects.requireNonNull(transaction.execute(status -> candidates.size() == 1
                        ? applySingle(candidates.getFirst(), status, now)
                        : applyOnce(candidates, lookUpFirst, now)));
            } catch (TransferIdTaken | PessimisticLockingFailureException e) {
                if (callerTransaction) {
                    // The caller's transaction is lost with this try: the caller tries it all again.
                    throw new ConcurrencyFailureException("a concurrent transaction took a transfer id of this "
                            + "batch or a lock cycle was broken; retry the transaction", e);
                }
                if (attempt == ATTEMPTS_MAX) {
                    throw new IllegalStateException("batch not applied after " + attempt + " attempts", e);
                }
            }
        }
    }

    /**
     * A lone transfer between accounts without a limit, which nothing can refuse, inserts its row and adds to the
     * balances in one statement. With a limit, it inserts its row and locks the balance rows in one statement,
     * checks the limit on the balances read, and writes them in a second; a rejection rolls the insert back. Either
     * way the locks (what busy accounts queue for) are held from the first statement's end to the commit, and a
     * retry of a recorded transfer finds its row taken at the insert and changes no balance.
     */
    private Map<Integer, TransferResult> applySingle(Candidate candidate, TransactionStatus status, Instant now) {
        TransferStore.NewRow row = candidate.row();
        if (!candidate.limited()) {
            return Map.of(candidate.index(), transfers.insertAndMove(row, now)
                    ? new TransferResult.Applied(view(row, null), false)
                    : recordedAlready(candidate));
        }
        // In the caller's transaction a rejection must undo the insert without dooming the caller's work.
        Object beforeInsert = status.isNewTransaction() ? null : status.createSavepoint();
        TransferStore.InsertedAndLocked locked = transfers.insertAndLock(row,
                new TreeSet<>(List.of(row.debitRowId(), row.creditRowId())), now);
        if (!locked.inserted()) {
            return Map.of(candidate.index(), recordedAlready(candidate));
        }
        Map<Long, Balance> balances = locked.balances();
        Balance debit = balances.get(row.debitRowId()).debit(row.amountMinor(), candidate.request().pending());
        Balance credit = balances.get(row.creditRowId()).credit(row.amountMinor(), candidate.request().pending());
        TransferRejection exceeded = debit.violation() != null ? debit.violation() : credit.violation();
        if (exceeded != null) {
            if (beforeInsert == null) {
                status.setRollbackOnly();
            } else {
                status.rollbackToSavepoint(beforeInsert);
            }
            return Map.of(candidate.index(), new TransferResult.Rejected(exceeded));
        }
        transfers.writeBalances(Map.of(row.debitRowId(), debit, row.creditRowId(), credit), now);
        return Map.of(candidate.index(), new TransferResult.Applied(view(row, null), false));
    }

    /** The answer to a lone transfer whose id was taken: a retry of the recorded transfer, or a conflict. */
    private TransferResult recordedAlready(Candidate candidate) {
        Transfer recorded = transfers.find(candidate.row().transferId()).orElseThrow().transfer();
        return TransferRules.sameFields(candidate.request(), recorded)
                ? new TransferResult.Applied(recorded, true)
                : new TransferResult.Rejected(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS);
    }

    /**
     * One try of a batch. The first try assumes its transfer ids are new (retries are rare) and saves a query: a
     * conflicting insert, or a rejection that might really be a retry of a recorded transfer, sends the batch to
     * a second try that looks the ids up first.
     */
    private Map<Integer, TransferResult> applyOnce(List<Candidate> candidates, boolean lookUpFirst, Instant now) {
        Map<Integer, TransferResult> decided = new HashMap<>();
        Map<String, Transfer> recorded = lookUpFirst ? transfers.findAll(candidates.stream()
                .map(c -> c.row().transferId()).toList()) : Map.of();
        List<Candidate> fresh = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Transfer existing = recorded.get(candidate.row().transferId());
            if (existing == null) {
                fresh.add(candidate);
            } else {
                decided.put(candidate.index(), TransferRules.sameFields(candidate.request(), existing)
                        ? new TransferResult.Applied(existing, true)
                        : new TransferResult.Rejected(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS));
            }
        }
        if (fresh.isEmpty()) {
            return decided;
        }
        Set<Long> rowIds = new TreeSet<>();
        fresh.forEach(c -> rowIds.addAll(List.of(c.row().debitRowId(), c.row().creditRowId())));
        Map<Long, Balance> balances = transfers.lockBalances(rowIds);
        List<TransferStore.NewRow> accepted = new ArrayList<>();
        for (Candidate candidate : fresh) {
            TransferStore.NewRow row = candidate.row();
            Balance debit = balances.get(row.debitRowId()).debit(row.amountMinor(), candidate.request().pending());
            Balance credit = balances.get(row.creditRowId()).credit(row.amountMinor(),
                    candidate.request().pending());
            TransferRejection exceeded = debit.violation() != null ? debit.violation() : credit.violation();
            if (exceeded != null) {
                decided.put(candidate.index(), new TransferResult.Rejected(exceeded));
                continue;
            }
            balances.put(row.debitRowId(), debit);
            balances.put(row.creditRowId(), credit);
            accepted.add(row);
            decided.put(candidate.index(), new TransferResult.Applied(view(row, null), false));
        }
        if (!lookUpFirst && accepted.size() < fresh.size() && !transfers.findAll(fresh.stream()
                .filter(c -> decided.get(c.index()) instanceof TransferResult.Rejected)
                .map(c -> c.row().transferId()).toList()).isEmpty()) {
            throw new TransferIdTaken();
        }
        if (!accepted.isEmpty()) {
            if (transfers.insertAll(accepted, now) != accepted.size()) {
                throw new TransferIdTaken();
            }
            transfers.writeBalances(balances, now);
        }
        return decided;
    }

    private static TransferStore.NewRow newRow(TransferRequest request, AccountTerms debit, AccountTerms credit,
            Instant now) {
        Instant expiresAt = request.timeoutSeconds() == null ? null : now.plusSeconds(request.timeoutSeconds());
        return new TransferStore.NewRow(request.transferId(), request.debitAccountId(), request.creditAccountId(),
                debit.balanceRowFor(request.transferId()), credit.balanceRowFor(request.transferId()),
                request.amountMinor(), request.currency(),
                request.pending() ? TransferStatus.PENDING : TransferStatus.POSTED, null, request.timeoutSeconds(),
                expiresAt, request.reference(), now);
    }

    /** A second transfer with the same id in one batch is a retry of the first. */
    private static TransferResult retryWithinBatch(TransferRequest retry, TransferRequest first,
            TransferResult firstResult) {
        if (!retry.equals(first)) {
            return new TransferResult.Rejected(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS);
        }
        return firstResult instanceof TransferResult.Applied applied
                ? new TransferResult.Applied(applied.transfer(), true) : firstResult;
    }

    @Override
    public TransferResult post(ResolvePending request) {
        return resolve(request, TransferStatus.POSTED, false);
    }

    @Override
    public TransferResult voidPending(ResolvePending request) {
        return resolve(request, TransferStatus.VOIDED, false);
    }

    /** Voids an expired hold for the sweeper, skipping it when someone else is resolving it right now. */
    TransferResult voidExpired(String holdTransferId) {
        return resolve(ResolvePending.whole(holdTransferId), TransferStatus.VOIDED, true);
    }

    private TransferResult resolve(ResolvePending request, TransferStatus to, boolean skipLocked) {
        String transferId = request.transferId() != null ? request.transferId()
                : request.pendingTransferId() + (to == TransferStatus.POSTED ? ".post" : ".void");
        TransferRejection rejection = TransferRules.validateTransferId(transferId);
        if (rejection == null && request.amountMinor() != null) {
            rejection = TransferRules.validateAmount(request.amountMinor());
        }
        if (rejection != null) {
            return new TransferResult.Rejected(rejection);
        }
        return Objects.requireNonNull(transaction.execute(
                status -> resolveLocked(request, transferId, to, skipLocked)));
    }

    private TransferResult resolveLocked(ResolvePending request, String transferId, TransferStatus to,
            boolean skipLocked) {
        TransferStore.Row hold = transfers.lockHold(request.pendingTransferId(), skipLocked).orElse(null);
        if (hold == null) {
            return new TransferResult.Rejected(TransferRejection.PENDING_TRANSFER_NOT_FOUND);
        }
        if (hold.transfer().status() != TransferStatus.PENDING) {
            return new TransferResult.Rejected(TransferRejection.PENDING_TRANSFER_NOT_PENDING);
        }
        long heldMinor = hold.transfer().amountMinor();
        long amountMinor = to == TransferStatus.POSTED && request.amountMinor() != null ? request.amountMinor()
                : heldMinor;
        if (amountMinor > heldMinor) {
            return new TransferResult.Rejected(TransferRejection.EXCEEDS_PENDING_TRANSFER_AMOUNT);
        }
        Instant now = now();
        TransferStore.NewRow row = new TransferStore.NewRow(transferId, hold.transfer().debitAccountId(),
                hold.transfer().creditAccountId(), hold.debitRowId(), hold.creditRowId(), amountMinor,
                hold.transfer().currency(), to, hold.id(), null, null, hold.transfer().reference(), now);
        TransferResult settled = alreadySettled(row, hold);
        if (settled != null) {
            return settled;
        }
        Instant expiresAt = hold.transfer().expiresAt();
        if (to == TransferStatus.POSTED && expiresAt != null && !now.isBefore(expiresAt)) {
            return new TransferResult.Rejected(TransferRejection.PENDING_TRANSFER_EXPIRED);
        }
        Map<Long, Balance> balances = transfers.lockBalances(new TreeSet<>(List.of(row.debitRowId(),
                row.creditRowId())));
        long postedMinor = to == TransferStatus.POSTED ? amountMinor : 0;
        Balance debit = balances.get(row.debitRowId()).resolveDebit(heldMinor, postedMinor);
        Balance credit = balances.get(row.creditRowId()).resolveCredit(heldMinor, postedMinor);
        if (debit.violation() != null || credit.violation() != null) {
            throw new IllegalStateException("resolving a hold broke a balance limit: " + row);
        }
        // The hold's row is locked, so the insert conflicts only when another transfer took this id meanwhile.
        if (transfers.insertAll(List.of(row), now) != 1) {
            return Objects.requireNonNull(alreadySettled(row, hold), "conflict without a conflicting row");
        }
        transfers.writeBalances(Map.of(row.debitRowId(), debit, row.creditRowId(), credit), now);
        return new TransferResult.Applied(view(row, hold.transfer().transferId()), false);
    }

    /** The answer when this resolution was applied before (a retry) or the hold was resolved otherwise. */
    private @Nullable TransferResult alreadySettled(TransferStore.NewRow row, TransferStore.Row hold) {
        Optional<TransferStore.Row> recorded = transfers.find(row.transferId());
        if (recorded.isPresent()) {
            Transfer existing = recorded.get().transfer();
            boolean same = hold.transfer().transferId().equals(existing.pendingTransferId())
                    && existing.status() == row.status() && existing.amountMinor() == row.amountMinor();
            return same ? new TransferResult.Applied(existing, true)
                    : new TransferResult.Rejected(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS);
        }
        Optional<TransferStatus> resolution = transfers.resolutionOf(hold.id());
        if (resolution.isPresent()) {
            return new TransferResult.Rejected(resolution.get() == TransferStatus.POSTED
                    ? TransferRejection.PENDING_TRANSFER_ALREADY_POSTED
                    : TransferRejection.PENDING_TRANSFER_ALREADY_VOIDED);
        }
        return null;
    }

    private static Transfer view(TransferStore.NewRow row, @Nullable String pendingTransferId) {
        return new Transfer(row.transferId(), row.debitAccountId(), row.creditAccountId(), row.amountMinor(),
                row.currency(), row.status(), pendingTransferId, row.timeoutSeconds(), row.expiresAt(),
                row.reference(), row.createdAt(), null);
    }

    /** Microseconds, as PostgreSQL stores them, so that a transfer reads back exactly as it was answered. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
