package kami.payment.internal;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A write whose commit need not wait for the disk, because losing it to a crash loses nothing. It is one statement
 * run on its own, with {@code set_config('synchronous_commit', 'off', true) = 'off'} in its condition: the setting
 * then holds for that statement's implicit transaction alone, in the same round trip.
 */
final class NoWaitCommit {

    private NoWaitCommit() {
    }

    /**
     * Refuses to run inside a caller's transaction: there the setting would reach the caller's commit, whose work
     * must wait for the disk, and the write would wait for the caller.
     */
    static void requireOwnTransaction(String write) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(write + " in a transaction of its own");
        }
    }
}
