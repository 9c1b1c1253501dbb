package kami.ledger.internal.domain;

import java.util.Currency;
import kami.ledger.AccountRejection;
import kami.ledger.BalanceLimit;
import kami.ledger.NewAccount;
import org.jspecify.annotations.Nullable;

/** The checks an account passes before it is opened, in the precedence of {@link AccountRejection}. */
public final class AccountRules {

    public static final int CODE_LENGTH_MAX = 100;
    public static final int SHARD_COUNT_MAX = 64;
    /** Separates a hot account's code from its shard number in the shard rows' codes. */
    public static final char SHARD_SEPARATOR = '#';

    private AccountRules() {
    }

    public static @Nullable AccountRejection validate(NewAccount account) {
        if (account.code() == null || account.code().isBlank() || account.code().length() > CODE_LENGTH_MAX
                || account.code().indexOf(SHARD_SEPARATOR) >= 0) {
            return AccountRejection.CODE_INVALID;
        }
        if (account.owner() == null || account.owner().isBlank()) {
            return AccountRejection.OWNER_MUST_NOT_BE_BLANK;
        }
        if (!isIsoCurrency(account.currency())) {
            return AccountRejection.CURRENCY_MUST_BE_ISO_CODE;
        }
        if (account.shardCount() < 1 || account.shardCount() > SHARD_COUNT_MAX) {
            return AccountRejection.SHARD_COUNT_OUT_OF_RANGE;
        }
        // A limit is a rule about the whole balance; checking it per shard would refuse transfers the account
        // as a whole could make, and summing shards would serialise them again. Hot accounts are the
        // platform's own accounts, which need no limit.
        if (account.shardCount() > 1 && account.limit() != BalanceLimit.NONE) {
            return AccountRejection.SHARDED_ACCOUNT_CANNOT_LIMIT_BALANCE;
        }
        return null;
    }

    private static boolean isIsoCurrency(@Nullable String code) {
        if (code == null || code.length() != 3) {
            return false;
        }
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
