package kami.ledger;

/** An account and its balances in minor units; for a sharded account, the sums over its shards. */
public record Account(long id, String code, String owner, AccountType type, String currency, BalanceLimit limit,
        int shardCount, long debitsPostedMinor, long creditsPostedMinor, long debitsPendingMinor,
        long creditsPendingMinor) {

    /** Posted credits minus posted debits: what a liability (a wallet) owes its owner. */
    public long creditBalanceMinor() {
        return creditsPostedMinor - debitsPostedMinor;
    }

    /** Posted debits minus posted credits: what an asset holds. */
    public long debitBalanceMinor() {
        return debitsPostedMinor - creditsPostedMinor;
    }
}
