package kami.payment.channel.wechat;

/**
 * Why a notify is not believed, as the code of {@code NotifyVerdict.Unverified}. The checks run in the order of
 * {@link WechatNotifyVerifier#verify}; the first that fails names the notify.
 */
enum WechatNotifyRejection {

    /** Wechatpay-Serial names a key other than the configured WeChat Pay public key (rotation, or not WeChat Pay). */
    UNKNOWN_SERIAL,

    /** Wechatpay-Timestamp is more than five minutes away from the arrival: a replay, or a clock far off. */
    STALE_NOTIFY,

    /** Signature headers missing or malformed, the signature wrong, or the resource not decryptable. */
    INVALID_SIGNATURE,

    /** Authentic, but not an event or a resource this adapter understands. */
    UNREADABLE_NOTIFY,

    /** Authentic, but for another merchant id or app id than this account's. */
    WRONG_MERCHANT
}
