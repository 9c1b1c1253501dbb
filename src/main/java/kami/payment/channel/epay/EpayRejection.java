package kami.payment.channel.epay;

/** Why a notify was not verified, in the order the checks run; the names are the stable codes Kami journals. */
enum EpayRejection {

    /** The body is not a readable form, a field the verdict needs is missing, or the amount is not an amount. */
    MALFORMED_NOTIFY,

    /** The notify names another merchant id than this account's: usually a notify URL shared by two accounts. */
    WRONG_MERCHANT,

    /** The signature is missing, of another type than MD5, or does not match this account's key. */
    INVALID_SIGNATURE
}
