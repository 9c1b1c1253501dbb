package kami.wallet.internal.domain;

/** Why a top-up request was refused, in the order the checks are made. */
public enum TopUpRejection {
    INVALID_IDEMPOTENCY_KEY,
    INVALID_AMOUNT,
    AMOUNT_ABOVE_MAXIMUM,
    INVALID_CURRENCY,
    CHANNEL_REQUIRED,
    /** The wallet cannot top itself up. */
    TOP_UP_CHANNEL_NOT_ALLOWED
}
