/**
 * The double-entry ledger: accounts with running balances (posted and pending, on both sides) and balance limits,
 * transfers that debit one account and credit another by the same amount, two-phase transfers (holds that are
 * posted or voided, or voided when they expire), hot accounts split into shards, and a reconciliation that proves
 * the invariants on the live database. Every movement of money inside Kami is a transfer here.
 */
@NullMarked
@ApplicationModule(displayName = "Ledger", allowedDependencies = "platform")
package kami.ledger;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
