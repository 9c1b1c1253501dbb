package kami.ordering;

import java.util.EnumSet;
import java.util.Set;

/** The order lifecycle, with every allowed transition in one place. */
public enum OrderStatus {
    PENDING_PAYMENT,
    PAID,
    DELIVERED,
    EXPIRED,
    NEEDS_REFUND,
    REFUNDED;

    public Set<OrderStatus> next() {
        return switch (this) {
            case PENDING_PAYMENT -> EnumSet.of(PAID, EXPIRED);
            // A payment that arrives after expiry is still honoured: keys again if there are any, else a refund.
            case EXPIRED -> EnumSet.of(PAID, NEEDS_REFUND);
            case PAID -> EnumSet.of(DELIVERED);
            // The refund is requested automatically; the order is done once the money is back with the payer.
            case NEEDS_REFUND -> EnumSet.of(REFUNDED);
            // Refunds of a delivered order are recorded on its payment; the keys were delivered all the same.
            case DELIVERED, REFUNDED -> EnumSet.noneOf(OrderStatus.class);
        };
    }

    public boolean canTransitionTo(OrderStatus target) {
        return next().contains(target);
    }

    public void requireTransitionTo(OrderStatus target) {
        if (!canTransitionTo(target)) {
            throw new IllegalStateException("order cannot go from " + this + " to " + target);
        }
    }

    public boolean isTerminal() {
        return next().isEmpty();
    }
}
