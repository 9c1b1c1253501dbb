package kami.ledger;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One transfer as seen from one account: a line of the account's history.
 *
 * @param sequence the transfer's position in the ledger (ascending with time of insert), the paging cursor
 * @param side whether the transfer debited or credited this account
 * @param counterpartAccountId the other account of the transfer
 * @param creditBalanceAfterMinor posted credits minus posted debits of the account after this transfer and every
 *     earlier one (holds and voids change no posted balance); for a liability such as a wallet, its balance
 */
public record AccountEntry(long sequence, String transferId, Side side, long counterpartAccountId,
        long amountMinor, String currency, TransferStatus status, @Nullable String pendingTransferId,
        @Nullable String reference, Instant createdAt, long creditBalanceAfterMinor) {

    public enum Side {
        DEBIT, CREDIT
    }

    /** The entry's effect on the posted credit balance: positive for a posted credit, negative for a debit. */
    public long postedCreditEffectMinor() {
        if (status != TransferStatus.POSTED) {
            return 0;
        }
        return side == Side.CREDIT ? amountMinor : -amountMinor;
    }
}
