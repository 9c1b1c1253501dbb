package kami.payment.internal;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A payment's lifecycle. CLOSED can still become SUCCEEDED: when a channel later confirms that the payer paid
 * after all, the money arrived and must be recorded (the order then follows the late-payment rule).
 */
enum PaymentStatus {
    PENDING,
    SUCCEEDED,
    CLOSED;

    private static final Map<PaymentStatus, Set<PaymentStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(SUCCEEDED, CLOSED),
            CLOSED, EnumSet.of(SUCCEEDED),
            SUCCEEDED, EnumSet.noneOf(PaymentStatus.class));

    boolean canMoveTo(PaymentStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    void requireTransitionTo(PaymentStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("payment cannot move from " + this + " to " + next);
        }
    }
}
