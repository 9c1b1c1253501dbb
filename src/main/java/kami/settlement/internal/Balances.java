package kami.settlement.internal;

import kami.ledger.Account;
import kami.ledger.Ledger;

/** Reading balances of the accounts {@link BookAccounts} opens. */
final class Balances {

    /** What a liability with a limit can still be debited by: posted credits less posted and held debits. */
    static long spendable(Ledger ledger, long accountId) {
        Account account = require(ledger, accountId);
        return account.creditsPostedMinor() - account.debitsPostedMinor() - account.debitsPendingMinor();
    }

    static Account require(Ledger ledger, long accountId) {
        return ledger.account(accountId).orElseThrow(() -> new IllegalStateException("no ledger account "
                + accountId));
    }

    private Balances() {
    }
}
