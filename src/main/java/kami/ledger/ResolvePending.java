package kami.ledger;

import org.jspecify.annotations.Nullable;

/**
 * The second phase of a two-phase transfer: post (all or part of) a hold, or void it. The resolution is itself a
 * transfer with its own id, so it is idempotent like any other.
 *
 * @param transferId id of the resolving transfer; null means the hold's id followed by {@code .post} or {@code .void}
 * @param amountMinor for a post, the amount to post (at most the held amount); null posts the whole hold
 */
public record ResolvePending(String pendingTransferId, @Nullable String transferId, @Nullable Long amountMinor) {

    public static ResolvePending whole(String pendingTransferId) {
        return new ResolvePending(pendingTransferId, null, null);
    }
}
