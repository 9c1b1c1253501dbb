package kami.ledger.internal.domain;

import kami.ledger.BalanceLimit;
import kami.ledger.TransferRejection;
import org.jspecify.annotations.Nullable;

/**
 * The running balances of one account row (an ordinary account or one shard of a hot account) and its limit.
 * Every change returns a new value; {@link #violation()} says whether the limit still holds.
 */
public record Balance(long debitsPostedMinor, long creditsPostedMinor, long debitsPendingMinor,
        long creditsPendingMinor, BalanceLimit limit) {

    public Balance {
        assert debitsPostedMinor >= 0 : "debits posted must not be negative";
        assert creditsPostedMinor >= 0 : "credits posted must not be negative";
        assert debitsPendingMinor >= 0 : "debits pending must not be negative";
        assert creditsPendingMinor >= 0 : "credits pending must not be negative";
    }

    public static Balance empty(BalanceLimit limit) {
        return new Balance(0, 0, 0, 0, limit);
    }

    /** Debits the account, posted at once or held as pending. */
    public Balance debit(long amountMinor, boolean pending) {
        requirePositive(amountMinor);
        return pending
                ? new Balance(debitsPostedMinor, creditsPostedMinor, Math.addExact(debitsPendingMinor, amountMinor),
                        creditsPendingMinor, limit)
                : new Balance(Math.addExact(debitsPostedMinor, amountMinor), creditsPostedMinor, debitsPendingMinor,
                        creditsPendingMinor, limit);
    }

    /** Credits the account, posted at once or held as pending. */
    public Balance credit(long amountMinor, boolean pending) {
        requirePositive(amountMinor);
        return pending
                ? new Balance(debitsPostedMinor, creditsPostedMinor, debitsPendingMinor,
                        Math.addExact(creditsPendingMinor, amountMinor), limit)
                : new Balance(debitsPostedMinor, Math.addExact(creditsPostedMinor, amountMinor), debitsPendingMinor,
                        creditsPendingMinor, limit);
    }

    /** Resolves a held debit: the whole held amount leaves pending, {@code postedMinor} of it (maybe 0) is posted. */
    public Balance resolveDebit(long heldMinor, long postedMinor) {
        requireResolvable(heldMinor, postedMinor, debitsPendingMinor);
        return new Balance(Math.addExact(debitsPostedMinor, postedMinor), creditsPostedMinor,
                debitsPendingMinor - heldMinor, creditsPendingMinor, limit);
    }

    /** Resolves a held credit, as {@link #resolveDebit} does for debits. */
    public Balance resolveCredit(long heldMinor, long postedMinor) {
        requireResolvable(heldMinor, postedMinor, creditsPendingMinor);
        return new Balance(debitsPostedMinor, Math.addExact(creditsPostedMinor, postedMinor), debitsPendingMinor,
                creditsPendingMinor - heldMinor, limit);
    }

    /**
     * The limit this balance breaks, or null. Pending debits count against a credit balance (they are reserved),
     * pending credits do not (they may never arrive): TigerBeetle's rule.
     */
    public @Nullable TransferRejection violation() {
        return switch (limit) {
            case NONE -> null;
            case DEBITS_MUST_NOT_EXCEED_CREDITS ->
                    debitsPostedMinor + debitsPendingMinor > creditsPostedMinor ? TransferRejection.EXCEEDS_CREDITS
                            : null;
            case CREDITS_MUST_NOT_EXCEED_DEBITS ->
                    creditsPostedMinor + creditsPendingMinor > debitsPostedMinor ? TransferRejection.EXCEEDS_DEBITS
                            : null;
        };
    }

    private static void requirePositive(long amountMinor) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amountMinor);
        }
    }

    private static void requireResolvable(long heldMinor, long postedMinor, long pendingMinor) {
        if (heldMinor <= 0 || postedMinor < 0 || postedMinor > heldMinor || heldMinor > pendingMinor) {
            throw new IllegalArgumentException("cannot resolve " + heldMinor + " held (" + postedMinor
                    + " posted) from " + pendingMinor + " pending");
        }
    }
}
