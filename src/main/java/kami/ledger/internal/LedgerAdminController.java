package kami.ledger.internal;

import java.util.List;
import kami.ledger.Account;
import kami.ledger.AccountEntry;
import kami.ledger.AccountRejection;
import kami.ledger.AccountResult;
import kami.ledger.AccountType;
import kami.ledger.BalanceLimit;
import kami.ledger.Ledger;
import kami.ledger.NewAccount;
import kami.ledger.ReconciliationReport;
import kami.ledger.ResolvePending;
import kami.ledger.Transfer;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ledger for operators: open accounts, read balances, make and resolve transfers, reconcile on demand.
 * Rejections become problem responses whose {@code code} is the rejection's name.
 */
@RestController
class LedgerAdminController {

    private final Ledger ledger;

    LedgerAdminController(Ledger ledger) {
        this.ledger = ledger;
    }

    record AccountBody(@Nullable String code, @Nullable String owner, @Nullable AccountType type,
            @Nullable String currency, @Nullable BalanceLimit limit, @Nullable Integer shardCount) {
    }

    record TransferBody(@Nullable String transferId, @Nullable Long debitAccountId, @Nullable Long creditAccountId,
            @Nullable Long amountMinor, @Nullable String currency, @Nullable String reference,
            @Nullable Boolean pending, @Nullable Long timeoutSeconds) {
    }

    record ResolveBody(@Nullable String transferId, @Nullable Long amountMinor) {
    }

    @PostMapping("/api/admin/ledger/accounts")
    ResponseEntity<Account> open(@RequestBody AccountBody body) {
        if (body.type() == null) {
            throw ApiException.badRequest("ACCOUNT_TYPE_REQUIRED", "type is one of ASSET, LIABILITY, EQUITY, "
                    + "REVENUE, EXPENSE");
        }
        AccountResult result = ledger.open(new NewAccount(orEmpty(body.code()), orEmpty(body.owner()), body.type(),
                orEmpty(body.currency()), body.limit() == null ? BalanceLimit.NONE : body.limit(),
                body.shardCount() == null ? 1 : body.shardCount()));
        return switch (result) {
            case AccountResult.Opened opened -> ResponseEntity.status(opened.replayed() ? HttpStatus.OK
                    : HttpStatus.CREATED).body(opened.account());
            case AccountResult.Rejected rejected -> throw new ApiException(
                    rejected.reason() == AccountRejection.EXISTS_WITH_DIFFERENT_FIELDS ? HttpStatus.CONFLICT
                            : HttpStatus.BAD_REQUEST, rejected.reason().name(), "Account not opened: "
                            + rejected.reason());
        };
    }

    @GetMapping("/api/admin/ledger/accounts/{id}")
    Account account(@PathVariable long id) {
        return ledger.account(id).orElseThrow(() -> ApiException.notFound("ACCOUNT_NOT_FOUND", "No account " + id));
    }

    /** A page of the account's history, newest first; {@code nextBefore} reads the next page. */
    record EntriesPage(List<AccountEntry> entries, @Nullable Long nextBefore) {
    }

    @GetMapping("/api/admin/ledger/accounts/{id}/entries")
    EntriesPage entries(@PathVariable long id, @RequestParam(required = false) @Nullable Long before,
            @RequestParam(defaultValue = "100") int limit) {
        account(id);
        if (limit < 1 || limit > Ledger.HISTORY_MAX) {
            throw ApiException.badRequest("LIMIT_OUT_OF_RANGE", "limit is 1 to " + Ledger.HISTORY_MAX);
        }
        List<AccountEntry> entries = ledger.history(id, before, limit);
        return new EntriesPage(entries, entries.size() < limit ? null : entries.getLast().sequence());
    }

    @PostMapping("/api/admin/ledger/transfers")
    ResponseEntity<Transfer> transfer(@RequestBody TransferBody body) {
        return answer(ledger.transfer(new TransferRequest(orEmpty(body.transferId()), orZero(body.debitAccountId()),
                orZero(body.creditAccountId()), orZero(body.amountMinor()), orEmpty(body.currency()),
                body.reference(), Boolean.TRUE.equals(body.pending()), body.timeoutSeconds())));
    }

    @GetMapping("/api/admin/ledger/transfers/{transferId}")
    Transfer find(@PathVariable String transferId) {
        return ledger.transfer(transferId).orElseThrow(() -> ApiException.notFound("TRANSFER_NOT_FOUND",
                "No transfer " + transferId));
    }

    @PostMapping("/api/admin/ledger/transfers/{transferId}/post")
    ResponseEntity<Transfer> post(@PathVariable String transferId, @RequestBody(required = false)
            @Nullable ResolveBody body) {
        return answer(ledger.post(new ResolvePending(transferId, body == null ? null : body.transferId(),
                body == null ? null : body.amountMinor())));
    }

    @PostMapping("/api/admin/ledger/transfers/{transferId}/void")
    ResponseEntity<Transfer> voidHold(@PathVariable String transferId, @RequestBody(required = false)
            @Nullable ResolveBody body) {
        return answer(ledger.voidPending(new ResolvePending(transferId, body == null ? null : body.transferId(),
                null)));
    }

    @PostMapping("/api/admin/ledger/reconciliation")
    ReconciliationReport reconcile() {
        return ledger.reconcile();
    }

    private static ResponseEntity<Transfer> answer(TransferResult result) {
        return switch (result) {
            case TransferResult.Applied applied -> ResponseEntity.status(applied.replayed() ? HttpStatus.OK
                    : HttpStatus.CREATED).header("Idempotent-Replayed", Boolean.toString(applied.replayed()))
                    .body(applied.transfer());
            case TransferResult.Rejected rejected -> throw new ApiException(status(rejected.reason()),
                    rejected.reason().name(), "Transfer not applied: " + rejected.reason());
        };
    }

    static HttpStatus status(TransferRejection reason) {
        return switch (reason) {
            case DEBIT_ACCOUNT_NOT_FOUND, CREDIT_ACCOUNT_NOT_FOUND, PENDING_TRANSFER_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case EXISTS_WITH_DIFFERENT_FIELDS -> HttpStatus.CONFLICT;
            case CURRENCY_MISMATCH, PENDING_TRANSFER_NOT_PENDING, EXCEEDS_PENDING_TRANSFER_AMOUNT,
                    PENDING_TRANSFER_ALREADY_POSTED, PENDING_TRANSFER_ALREADY_VOIDED, PENDING_TRANSFER_EXPIRED,
                    EXCEEDS_CREDITS, EXCEEDS_DEBITS -> HttpStatus.UNPROCESSABLE_CONTENT;
            default -> HttpStatus.BAD_REQUEST;
        };
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static long orZero(@Nullable Long value) {
        return value == null ? 0 : value;
    }
}
