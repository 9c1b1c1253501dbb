package kami.ledger;

/** What an account stands for; it decides how people read its balance, never which transfers it accepts. */
public enum AccountType {
    ASSET,
    LIABILITY,
    EQUITY,
    REVENUE,
    EXPENSE
}
