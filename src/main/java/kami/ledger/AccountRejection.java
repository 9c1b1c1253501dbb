package kami.ledger;

/** Why an account was not opened, in precedence order: the first that applies is reported. */
public enum AccountRejection {
    CODE_INVALID,
    OWNER_MUST_NOT_BE_BLANK,
    CURRENCY_MUST_BE_ISO_CODE,
    SHARD_COUNT_OUT_OF_RANGE,
    SHARDED_ACCOUNT_CANNOT_LIMIT_BALANCE,
    EXISTS_WITH_DIFFERENT_FIELDS
}
