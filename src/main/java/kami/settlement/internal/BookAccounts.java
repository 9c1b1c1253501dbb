package kami.settlement.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kami.ledger.AccountResult;
import kami.ledger.AccountType;
import kami.ledger.BalanceLimit;
import kami.ledger.Ledger;
import kami.ledger.NewAccount;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The ledger accounts of the shop's money, opened when first needed (opening is idempotent by code). Per
 * currency: each channel's clearing account (money the channel collected for Kami), the platform's fee revenue
 * and its payouts; per merchant and currency: pending (booked, not yet settled), available (settled, may be paid
 * out; never below zero) and owed (refunds the available balance could not cover, repaid by later settlements).
 */
@Component
class BookAccounts {

    /** The three accounts that make up a merchant's balance in one currency. */
    record MerchantBook(long pending, long available, long owed) {
    }

    /** Every order touches the clearing and fee accounts, so their balances are spread over shards. */
    static final int PLATFORM_SHARDS = 16;
    /** A busy merchant's pending balance takes every payment and refund of that merchant. */
    static final int PENDING_SHARDS = 32;

    private final Ledger ledger;
    private final Map<String, Long> idsByCode = new ConcurrentHashMap<>();

    BookAccounts(Ledger ledger) {
        this.ledger = ledger;
    }

    static String clearingCode(String channel, String currency) {
        return "platform.channel." + channel + "." + currency;
    }

    static String merchantCode(long merchantId, String part, String currency) {
        return "merchant-" + merchantId + "." + part + "." + currency;
    }

    long clearing(String channel, String currency) {
        return open(new NewAccount(clearingCode(channel, currency), "platform", AccountType.ASSET, currency,
                BalanceLimit.NONE, PLATFORM_SHARDS));
    }

    long fees(String currency) {
        return open(new NewAccount("platform.fees." + currency, "platform", AccountType.REVENUE, currency,
                BalanceLimit.NONE, PLATFORM_SHARDS));
    }

    /** Money paid out to merchants: its credit balance is what left the platform. */
    long payouts(String currency) {
        return open(new NewAccount("platform.payouts." + currency, "platform", AccountType.ASSET, currency,
                BalanceLimit.NONE, 1));
    }

    MerchantBook merchant(long merchantId, String currency) {
        String owner = "merchant-" + merchantId;
        return new MerchantBook(
                open(new NewAccount(merchantCode(merchantId, "pending", currency), owner, AccountType.LIABILITY,
                        currency, BalanceLimit.NONE, PENDING_SHARDS)),
                open(new NewAccount(merchantCode(merchantId, "available", currency), owner, AccountType.LIABILITY,
                        currency, BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS, 1)),
                open(new NewAccount(merchantCode(merchantId, "owed", currency), owner, AccountType.ASSET,
                        currency, BalanceLimit.CREDITS_MUST_NOT_EXCEED_DEBITS, 1)));
    }

    private long open(NewAccount account) {
        Long known = idsByCode.get(account.code());
        if (known != null) {
            return known;
        }
        long id = switch (ledger.open(account)) {
            case AccountResult.Opened opened -> opened.account().id();
            case AccountResult.Rejected rejected -> throw new IllegalStateException("ledger account "
                    + account.code() + " not opened: " + rejected.reason());
        };
        // An account opened in a transaction that rolls back does not exist: remember it only once committed.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    idsByCode.put(account.code(), id);
                }
            });
        } else {
            idsByCode.put(account.code(), id);
        }
        return id;
    }
}
