package kami.ledger;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A transfer as recorded. For a hold, {@code resolution} tells whether it has been posted or voided since.
 *
 * @param pendingTransferId for the posting or voiding of a hold, the hold's transfer id
 */
public record Transfer(String transferId, long debitAccountId, long creditAccountId, long amountMinor,
        String currency, TransferStatus status, @Nullable String pendingTransferId, @Nullable Long timeoutSeconds,
        @Nullable Instant expiresAt, @Nullable String reference, Instant createdAt,
        @Nullable TransferStatus resolution) {
}
