package kami.ledger;

/**
 * The balance flag of an account (TigerBeetle's account flags). Pending debits count against the limit, so a hold
 * reserves money that later transfers cannot spend.
 */
public enum BalanceLimit {
    /** The balance may go either way, as for the platform's own clearing and revenue accounts. */
    NONE,
    /** Posted and pending debits never exceed posted credits: a wallet or merchant balance that may not go negative. */
    DEBITS_MUST_NOT_EXCEED_CREDITS,
    /** Posted and pending credits never exceed posted debits: an asset that may not go negative. */
    CREDITS_MUST_NOT_EXCEED_DEBITS
}
