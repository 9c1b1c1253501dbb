package kami.ledger;

/** A transfer row's status; rows never change, so a hold stays PENDING and its resolution is a second row. */
public enum TransferStatus {
    /** A hold: the amount sits in the pending balances. */
    PENDING,
    /** Posted: a single-phase transfer, or the posting of a hold. */
    POSTED,
    /** The release of a hold. */
    VOIDED
}
