package kami.ledger;

/**
 * Why a transfer was not applied, one constant per reason, in precedence order: the first that applies is
 * reported (TigerBeetle's CreateTransferResult). A rejected transfer leaves no trace, so the same id may be tried
 * again.
 */
public enum TransferRejection {
    TRANSFER_ID_MUST_NOT_BE_BLANK,
    TRANSFER_ID_TOO_LONG,
    ACCOUNTS_MUST_DIFFER,
    AMOUNT_MUST_BE_POSITIVE,
    AMOUNT_EXCEEDS_MAXIMUM,
    TIMEOUT_MUST_BE_POSITIVE,
    TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
    REFERENCE_TOO_LONG,
    DEBIT_ACCOUNT_NOT_FOUND,
    CREDIT_ACCOUNT_NOT_FOUND,
    /** The transfer's currency differs from an account's: cross-currency transfers are never applied. */
    CURRENCY_MISMATCH,
    PENDING_TRANSFER_NOT_FOUND,
    PENDING_TRANSFER_NOT_PENDING,
    EXCEEDS_PENDING_TRANSFER_AMOUNT,
    /** The transfer id is taken by a transfer with other fields. */
    EXISTS_WITH_DIFFERENT_FIELDS,
    PENDING_TRANSFER_ALREADY_POSTED,
    PENDING_TRANSFER_ALREADY_VOIDED,
    PENDING_TRANSFER_EXPIRED,
    /** The debit would take an account limited by DEBITS_MUST_NOT_EXCEED_CREDITS below zero. */
    EXCEEDS_CREDITS,
    /** The credit would take an account limited by CREDITS_MUST_NOT_EXCEED_DEBITS below zero. */
    EXCEEDS_DEBITS
}
