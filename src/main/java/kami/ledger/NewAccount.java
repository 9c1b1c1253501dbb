package kami.ledger;

/**
 * An account to open. The code is the caller-chosen unique name and makes opening idempotent.
 *
 * @param shardCount 1 for an ordinary account; more splits a hot account into that many shards that share its
 *     load, and such an account cannot carry a balance limit
 */
public record NewAccount(String code, String owner, AccountType type, String currency, BalanceLimit limit,
        int shardCount) {

    public static NewAccount of(String code, String owner, AccountType type, String currency, BalanceLimit limit) {
        return new NewAccount(code, owner, type, currency, limit, 1);
    }
}
