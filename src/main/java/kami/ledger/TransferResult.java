package kami.ledger;

/** The answer to a transfer: applied (now, or earlier under the same id: replayed), or rejected with a reason. */
public sealed interface TransferResult {

    record Applied(Transfer transfer, boolean replayed) implements TransferResult {
    }

    record Rejected(TransferRejection reason) implements TransferResult {
    }
}
