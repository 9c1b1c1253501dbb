package kami.wallet.internal.domain;

import java.util.Optional;

/**
 * The names the wallet uses on the ledger, shared with every module that books channel money (settlement books
 * order payments out of the same clearing accounts). Transfer ids are derived from business numbers, so a retry
 * of the same business event is a retry of the same transfer and is applied once.
 */
public final class LedgerConventions {

    public static final String PLATFORM_OWNER = "platform";
    /** Clearing accounts take part in every payment of their channel, so they are split into this many shards. */
    public static final int CLEARING_SHARD_COUNT = 16;

    static final String TOP_UP_PREFIX = "wallet-top-up:";
    static final String PAYMENT_PREFIX = "wallet-pay:";
    static final String REFUND_PREFIX = "wallet-refund:";

    private LedgerConventions() {
    }

    /** What a wallet's history line is. */
    public enum EntryKind {
        TOP_UP,
        PAYMENT,
        REFUND
    }

    /** The clearing account of a channel account in a currency: what the channel owes (or holds for) Kami. */
    public static String clearingCode(String channel, String currency) {
        return "platform.channel." + channel + "." + currency;
    }

    public static String owner(long userId) {
        return "user-" + userId;
    }

    public static String walletCode(long userId, String currency) {
        return owner(userId) + ".wallet." + currency;
    }

    /** Money a channel collected for a top-up, credited to the wallet. */
    public static String topUpTransferId(String paymentNo) {
        return TOP_UP_PREFIX + paymentNo;
    }

    /** An order paid from the wallet: debited from it, credited to the wallet channel's clearing account. */
    public static String paymentTransferId(String paymentNo) {
        return PAYMENT_PREFIX + paymentNo;
    }

    /** A refund of a wallet-paid order, back into the wallet. */
    public static String refundTransferId(String refundNo) {
        return REFUND_PREFIX + refundNo;
    }

    public static Optional<EntryKind> kindOf(String transferId) {
        if (transferId.startsWith(TOP_UP_PREFIX)) {
            return Optional.of(EntryKind.TOP_UP);
        }
        if (transferId.startsWith(PAYMENT_PREFIX)) {
            return Optional.of(EntryKind.PAYMENT);
        }
        if (transferId.startsWith(REFUND_PREFIX)) {
            return Optional.of(EntryKind.REFUND);
        }
        return Optional.empty();
    }
}
