package kami.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A transfer to apply: debit one account, credit another, same amount and currency. The transfer id is chosen by
 * the caller and is the idempotency key: a retry with the same id and fields answers with the first result.
 *
 * @param pending a hold (first phase of a two-phase transfer): the amount is reserved in the pending balances
 *     until it is posted or voided
 * @param timeoutSeconds for a hold only: after this long it can no longer be posted and is voided by the sweeper;
 *     null means it waits until someone posts or voids it
 * @param reference the business object this transfer belongs to, such as an order number
 */
public record TransferRequest(String transferId, long debitAccountId, long creditAccountId, long amountMinor,
        String currency, @Nullable String reference, boolean pending, @Nullable Long timeoutSeconds) {

    public static TransferRequest posted(String transferId, long debitAccountId, long creditAccountId,
            long amountMinor, String currency, @Nullable String reference) {
        return new TransferRequest(transferId, debitAccountId, creditAccountId, amountMinor, currency, reference,
                false, null);
    }

    public static TransferRequest hold(String transferId, long debitAccountId, long creditAccountId,
            long amountMinor, String currency, @Nullable String reference, @Nullable Long timeoutSeconds) {
        return new TransferRequest(transferId, debitAccountId, creditAccountId, amountMinor, currency, reference,
                true, timeoutSeconds);
    }
}
