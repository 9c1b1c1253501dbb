package kami.ledger;

/** The answer to opening an account: opened (or already open with the same fields), or rejected. */
public sealed interface AccountResult {

    record Opened(Account account, boolean replayed) implements AccountResult {
    }

    record Rejected(AccountRejection reason) implements AccountResult {
    }
}
