package kami.wallet.internal.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A top-up's lifecycle. EXPIRED can still become CREDITED: when the channel confirms a payment after the top-up
 * was given up, the money arrived and goes into the wallet.
 */
public enum TopUpStatus {
    PENDING,
    CREDITED,
    EXPIRED;

    private static final Map<TopUpStatus, Set<TopUpStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(CREDITED, EXPIRED),
            EXPIRED, EnumSet.of(CREDITED),
            CREDITED, EnumSet.noneOf(TopUpStatus.class));

    public boolean canMoveTo(TopUpStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public void requireTransitionTo(TopUpStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("top-up cannot move from " + this + " to " + next);
        }
    }
}
