package kami.wallet.internal;

import java.time.Instant;
import java.util.List;
import kami.ledger.AccountEntry;
import kami.platform.ApiException;
import kami.wallet.internal.domain.LedgerConventions;
import kami.wallet.internal.domain.LedgerConventions.EntryKind;
import kami.wallet.internal.domain.TopUpRules;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's wallet: balances, history, top-ups and paying orders. */
@RestController
class WalletController {

    static final int HISTORY_LIMIT_DEFAULT = 20;
    static final int HISTORY_LIMIT_MAX = 100;

    private final WalletAccounts accounts;
    private final TopUps topUps;
    private final WalletPayments walletPayments;

    WalletController(WalletAccounts accounts, TopUps topUps, WalletPayments walletPayments) {
        this.accounts = accounts;
        this.topUps = topUps;
        this.walletPayments = walletPayments;
    }

    record Balances(List<WalletAccounts.Balance> balances) {
    }

    /**
     * One line of a wallet's history.
     *
     * @param amountMinor positive for money in, negative for money out
     * @param balanceAfterMinor the wallet's balance right after this line
     * @param reference the top-up number, or the order number of a payment or refund
     */
    record HistoryEntry(String transferId, EntryKind kind, long amountMinor, long balanceAfterMinor,
            @Nullable String reference, Instant at) {
    }

    /** @param nextBefore pass as {@code before} for the next (older) page; null when there is none */
    record History(String currency, List<HistoryEntry> entries, @Nullable Long nextBefore) {
    }

    record PayRequest(@Nullable String orderNo, @Nullable String paymentNo) {
    }

    @GetMapping("/api/wallet")
    Balances balances(SignedInUser user) {
        return new Balances(accounts.balances(user.id()));
    }

    @GetMapping("/api/wallet/history")
    History history(SignedInUser user, @RequestParam(required = false) @Nullable String currency,
            @RequestParam(required = false) @Nullable Long before,
            @RequestParam(defaultValue = "" + HISTORY_LIMIT_DEFAULT) int limit) {
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw ApiException.badRequest("INVALID_CURRENCY", "currency must be an ISO 4217 code such as CNY");
        }
        if (limit < 1 || limit > HISTORY_LIMIT_MAX) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be 1 to " + HISTORY_LIMIT_MAX);
        }
        List<AccountEntry> entries = accounts.history(user.id(), currency, before, limit);
        Long nextBefore = entries.size() == limit ? entries.getLast().sequence() : null;
        return new History(currency, entries.stream().map(WalletController::entry).toList(), nextBefore);
    }

    private static HistoryEntry entry(AccountEntry entry) {
        EntryKind kind = LedgerConventions.kindOf(entry.transferId()).orElseThrow(() -> new IllegalStateException(
                "wallet transfer " + entry.transferId() + " is of no known kind"));
        return new HistoryEntry(entry.transferId(), kind, entry.postedCreditEffectMinor(),
                entry.creditBalanceAfterMinor(), entry.reference(), entry.createdAt());
    }

    @PostMapping("/api/wallet/top-ups")
    ResponseEntity<TopUps.TopUpView> topUp(SignedInUser user, @RequestBody TopUpRules.Request request,
            @RequestHeader("Idempotency-Key") String idempotencyKey) {
        TopUps.Created created = topUps.create(user, request, idempotencyKey);
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Idempotent-Replayed", Boolean.toString(created.replayed())).body(created.topUp());
    }

    @GetMapping("/api/wallet/top-ups/{topUpNo}")
    TopUps.TopUpView topUp(SignedInUser user, @PathVariable String topUpNo) {
        return topUps.find(user, topUpNo).orElseThrow(() -> ApiException.notFound("TOP_UP_NOT_FOUND",
                "No top-up " + topUpNo + " in this wallet"));
    }

    /** Pays a wallet-channel order from the wallet: 201 when paid now, 200 with the first answer on a repeat. */
    @PostMapping("/api/wallet/payments")
    ResponseEntity<WalletPayments.WalletPaymentView> pay(SignedInUser user, @RequestBody PayRequest request) {
        WalletPayments.Paid paid = walletPayments.pay(user, request.orderNo(), request.paymentNo());
        return ResponseEntity.status(paid.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .header("Idempotent-Replayed", Boolean.toString(paid.replayed())).body(paid.payment());
    }
}
