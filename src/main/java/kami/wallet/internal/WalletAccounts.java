package kami.wallet.internal;

import java.util.List;
import java.util.Optional;
import kami.ledger.Account;
import kami.ledger.AccountEntry;
import kami.ledger.AccountResult;
import kami.ledger.AccountType;
import kami.ledger.BalanceLimit;
import kami.ledger.Ledger;
import kami.ledger.NewAccount;
import kami.wallet.internal.domain.LedgerConventions;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The ledger accounts the wallet moves money between: each user's wallet per currency (a liability that may never
 * go below zero) and the clearing account of each channel per currency. Opening is idempotent, so every caller
 * opens what it needs; {@code wallet_account} finds a user's wallets without asking the ledger by owner.
 */
@Component
class WalletAccounts {

    private final Ledger ledger;
    private final JdbcClient jdbc;

    WalletAccounts(Ledger ledger, JdbcClient jdbc) {
        this.ledger = ledger;
        this.jdbc = jdbc;
    }

    record Balance(String currency, long balanceMinor) {
    }

    /** The user's wallet in the currency, opened now if there was none. */
    long openWallet(long userId, String currency) {
        Optional<Long> known = wallet(userId, currency);
        if (known.isPresent()) {
            return known.get();
        }
        long id = open(new NewAccount(LedgerConventions.walletCode(userId, currency),
                LedgerConventions.owner(userId), AccountType.LIABILITY, currency,
                BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS, 1));
        jdbc.sql("""
                insert into wallet_account (user_id, currency, ledger_account_id) values (:user, :currency, :id)
                on conflict do nothing""")
                .param("user", userId).param("currency", currency).param("id", id).update();
        return id;
    }

    Optional<Long> wallet(long userId, String currency) {
        return jdbc.sql("select ledger_account_id from wallet_account where user_id = :user and currency = :currency")
                .param("user", userId).param("currency", currency).query(Long.class).optional();
    }

    /** The clearing account of a channel account in a currency, with exactly the fields every module uses. */
    long openClearing(String channel, String currency) {
        return open(new NewAccount(LedgerConventions.clearingCode(channel, currency),
                LedgerConventions.PLATFORM_OWNER, AccountType.ASSET, currency, BalanceLimit.NONE,
                LedgerConventions.CLEARING_SHARD_COUNT));
    }

    List<Balance> balances(long userId) {
        return jdbc.sql("select currency, ledger_account_id from wallet_account where user_id = :user order by currency")
                .param("user", userId)
                .query((rs, row) -> new Balance(rs.getString("currency"), ledger.account(rs.getLong(
                        "ledger_account_id")).map(Account::creditBalanceMinor).orElseThrow()))
                .list();
    }

    /** The wallet's transfers, newest first; empty when the user has no wallet in the currency. */
    List<AccountEntry> history(long userId, String currency, @Nullable Long beforeSequence, int limit) {
        return wallet(userId, currency).map(id -> ledger.history(id, beforeSequence, limit)).orElse(List.of());
    }

    private long open(NewAccount account) {
        return switch (ledger.open(account)) {
            case AccountResult.Opened opened -> opened.account().id();
            case AccountResult.Rejected rejected -> throw new IllegalStateException("ledger account "
                    + account.code() + " cannot be opened: " + rejected.reason());
        };
    }
}
