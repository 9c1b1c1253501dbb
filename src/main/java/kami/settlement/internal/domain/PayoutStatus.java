package kami.settlement.internal.domain;

/** A payout's life: requested (money held on the merchant's available balance), then paid or failed, once. */
public enum PayoutStatus {
    REQUESTED, PAID, FAILED;

    public boolean canMoveTo(PayoutStatus next) {
        return this == REQUESTED && next != REQUESTED;
    }

    public void requireTransitionTo(PayoutStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a payout cannot move from " + this + " to " + next);
        }
    }
}
