package kami.ledger.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kami.ledger.Account;
import kami.ledger.AccountRejection;
import kami.ledger.AccountResult;
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
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger on PostgreSQL. A transfer is one transaction: insert the transfer row (its unique id makes retries
 * idempotent and makes a concurrent duplicate wait for the first), lock the two balance rows in id order, apply
 * the change with {@link Balance}, and write both rows. A rejection found after the insert rolls everything back.
 */
@Service
class JdbcLedger implements Ledger {

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
    public ReconciliationReport reconcile() {
        return reconciliation.run();
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        AccountTerms debit = accounts.terms(request.debitAccountId()).orElse(null);
        AccountTerms credit = accounts.terms(request.creditAccountId()).orElse(null);
        TransferRejection rejection = TransferRules.validate(request, debit, credit);
        if (rejection != null) {
            return new TransferResult.Rejected(rejection);
        }
        Instant now = now();
        Instant expiresAt = request.timeoutSeconds() == null ? null : now.plusSeconds(request.timeoutSeconds());
        TransferStore.NewRow row = new TransferStore.NewRow(request.transferId(), request.debitAccountId(),
                request.creditAccountId(), Objects.requireNonNull(debit).balanceRowFor(request.transferId()),
                Objects.requireNonNull(credit).balanceRowFor(request.transferId()), request.amountMinor(),
                request.currency(), request.pending() ? TransferStatus.PENDING : TransferStatus.POSTED, null,
                request.timeoutSeconds(), expiresAt, request.reference(), now);
        return Objects.requireNonNull(transaction.execute(status -> apply(request, row, status)));
    }

    private TransferResult apply(TransferRequest request, TransferStore.NewRow row, TransactionStatus status) {
        if (transfers.insert(row).isEmpty()) {
            Transfer recorded = transfers.find(request.transferId()).orElseThrow().transfer();
            return TransferRules.sameFields(request, recorded) ? new TransferResult.Applied(recorded, true)
                    : new TransferResult.Rejected(TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS);
        }
        Map<Long, Balance> balances = transfers.lockBalances(row.debitRowId(), row.creditRowId());
        Balance debit = balances.get(row.debitRowId()).debit(row.amountMinor(), request.pending());
        Balance credit = balances.get(row.creditRowId()).credit(row.amountMinor(), request.pending());
        TransferRejection exceeded = debit.violation() != null ? debit.violation() : credit.violation();
        if (exceeded != null) {
            status.setRollbackOnly();
            return new TransferResult.Rejected(exceeded);
        }
        transfers.writeBalances(row.debitRowId(), debit, row.creditRowId(), credit, row.createdAt());
        return new TransferResult.Applied(view(row, null), false);
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
        // The hold's row is locked, so the insert conflicts only when another transfer took this id meanwhile.
        if (transfers.insert(row).isEmpty()) {
            return Objects.requireNonNull(alreadySettled(row, hold), "conflict without a conflicting row");
        }
        Map<Long, Balance> balances = transfers.lockBalances(row.debitRowId(), row.creditRowId());
        long postedMinor = to == TransferStatus.POSTED ? amountMinor : 0;
        Balance debit = balances.get(row.debitRowId()).resolveDebit(heldMinor, postedMinor);
        Balance credit = balances.get(row.creditRowId()).resolveCredit(heldMinor, postedMinor);
        if (debit.violation() != null || credit.violation() != null) {
            throw new IllegalStateException("resolving a hold broke a balance limit: " + row);
        }
        transfers.writeBalances(row.debitRowId(), debit, row.creditRowId(), credit, now);
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
