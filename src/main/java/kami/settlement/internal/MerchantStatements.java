package kami.settlement.internal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import kami.ledger.AccountEntry;
import kami.ledger.Ledger;
import kami.ledger.TransferStatus;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Merchants' balances and statements, read from the ledger accounts {@link BookAccounts} keeps for them. */
@Service
class MerchantStatements {

    /** Which of a merchant's accounts a statement lists. */
    enum StatementAccount {
        PENDING, AVAILABLE, OWED;

        static StatementAccount parse(@Nullable String value) {
            if (value == null || value.isBlank()) {
                return AVAILABLE;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("INVALID_STATEMENT_ACCOUNT", "account is one of pending, available, "
                        + "owed");
            }
        }
    }

    /**
     * A merchant's money in one currency, in minor units.
     *
     * @param pendingMinor booked, not yet settled
     * @param availableMinor settled and free to pay out (payouts in flight already taken off)
     * @param payoutsInFlightMinor requested payouts not yet paid or failed, held on the available balance
     * @param owedMinor refunds the available balance could not cover; repaid from the next settlements
     */
    record CurrencyBalance(String currency, long pendingMinor, long availableMinor, long payoutsInFlightMinor,
            long owedMinor, long paymentsMinor, long feesMinor, long refundedMinor, long paidOutMinor) {
    }

    record Balance(long merchantId, List<CurrencyBalance> balances) {
    }

    /**
     * A statement line. {@code amountMinor} is signed by its effect on the account's balance (for the owed
     * account: positive when the debt grows); holds and their release do not change {@code balanceAfterMinor}.
     */
    @JsonPropertyOrder({"sequence", "at", "type", "status", "amountMinor", "balanceAfterMinor", "currency",
            "reference", "transferId"})
    record Line(long sequence, Instant at, String type, TransferStatus status, long amountMinor,
            long balanceAfterMinor, String currency, @Nullable String reference, String transferId) {
    }

    record Statement(long merchantId, String currency, StatementAccount account, List<Line> lines,
            @Nullable Long nextBefore) {
    }

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final BookAccounts accounts;

    MerchantStatements(JdbcClient jdbc, Ledger ledger, BookAccounts accounts) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.accounts = accounts;
    }

    /** The currencies the merchant was paid or paid out in. */
    List<String> currencies(long merchantId) {
        return jdbc.sql("""
                select currency from settlement_payment where merchant_id = :merchant
                union select currency from merchant_payout where merchant_id = :merchant
                order by 1""")
                .param("merchant", merchantId).query(String.class).list();
    }

    Balance balance(long merchantId) {
        return new Balance(merchantId, currencies(merchantId).stream().map(c -> balance(merchantId, c)).toList());
    }

    private CurrencyBalance balance(long merchantId, String currency) {
        BookAccounts.MerchantBook book = accounts.merchant(merchantId, currency);
        var pending = Balances.require(ledger, book.pending());
        var available = Balances.require(ledger, book.available());
        var owed = Balances.require(ledger, book.owed());
        record Totals(long payments, long fees, long refunded) {
        }
        Totals totals = jdbc.sql("""
                select coalesce(sum(amount_minor), 0) as payments,
                       coalesce(sum(fee_minor - fee_returned_minor), 0) as fees,
                       coalesce(sum(refunded_minor), 0) as refunded
                from settlement_payment where merchant_id = :merchant and currency = :currency""")
                .param("merchant", merchantId).param("currency", currency)
                .query((rs, n) -> new Totals(rs.getLong("payments"), rs.getLong("fees"), rs.getLong("refunded")))
                .single();
        long paidOut = jdbc.sql("""
                select coalesce(sum(amount_minor), 0) from merchant_payout
                where merchant_id = :merchant and currency = :currency and status = 'PAID'""")
                .param("merchant", merchantId).param("currency", currency).query(Long.class).single();
        return new CurrencyBalance(currency, pending.creditBalanceMinor(),
                available.creditBalanceMinor() - available.debitsPendingMinor(), available.debitsPendingMinor(),
                owed.debitBalanceMinor(), totals.payments(), totals.fees(), totals.refunded(), paidOut);
    }

    Statement statement(long merchantId, String currency, StatementAccount account, @Nullable Long before,
            int limit) {
        BookAccounts.MerchantBook book = accounts.merchant(merchantId, currency);
        long accountId = switch (account) {
            case PENDING -> book.pending();
            case AVAILABLE -> book.available();
            case OWED -> book.owed();
        };
        List<Line> lines = ledger.history(accountId, before, limit).stream().map(e -> line(e, account)).toList();
        return new Statement(merchantId, currency, account, lines,
                lines.size() < limit ? null : lines.getLast().sequence());
    }

    private static Line line(AccountEntry entry, StatementAccount account) {
        // The owed account is an asset: its balance is what the merchant owes, which debits increase.
        int sign = account == StatementAccount.OWED ? -1 : 1;
        long signed = entry.side() == AccountEntry.Side.CREDIT ? entry.amountMinor() : -entry.amountMinor();
        return new Line(entry.sequence(), entry.createdAt(), type(entry), entry.status(), sign * signed,
                sign * entry.creditBalanceAfterMinor(), entry.currency(), entry.reference(), entry.transferId());
    }

    static String type(AccountEntry entry) {
        String id = entry.transferId();
        if (id.startsWith(Transfers.PAYOUT)) {
            return switch (entry.status()) {
                case PENDING -> "PAYOUT_REQUESTED";
                case POSTED -> "PAYOUT_PAID";
                case VOIDED -> "PAYOUT_FAILED";
            };
        }
        if (id.startsWith(Transfers.PAYMENT)) {
            return "PAYMENT";
        }
        if (id.startsWith(Transfers.DEBT_REPAYMENT)) {
            return "DEBT_REPAYMENT";
        }
        if (id.startsWith(Transfers.SETTLEMENT)) {
            return "SETTLEMENT";
        }
        if (id.startsWith(Transfers.REFUND)) {
            return "REFUND";
        }
        return "ADJUSTMENT";
    }
}
