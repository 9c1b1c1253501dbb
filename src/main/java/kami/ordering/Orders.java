package kami.ordering;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

public interface Orders {

    /**
     * Places an order and reserves its keys in one transaction, or changes nothing. The same idempotency key
     * with the same request returns the first answer again; with a different request it is rejected (422).
     */
    PlacedOrder place(PlaceOrder request, String idempotencyKey);

    /** The order if the token is its lookup token; empty for a wrong token and for an unknown order alike. */
    Optional<OrderView> lookup(String orderNo, String lookupToken);

    /**
     * Like {@link #lookup}, but while the order is not in a final state, waits up to {@code waitMax} for its
     * status to change and answers as soon as it does (long polling).
     */
    Optional<OrderView> lookupAfterChange(String orderNo, String lookupToken, Duration waitMax);

    /**
     * Like {@link #lookupAfterChange}, but keeps waiting through other changes until the order reaches
     * {@code until} or a final state (or the wait is over): a client that only cares about delivery asks once.
     */
    Optional<OrderView> lookupWhenReached(String orderNo, String lookupToken, OrderStatus until, Duration waitMax);

    /** Moves a paid order to delivered in the caller's transaction; returns its quantity, or empty if not PAID. */
    OptionalInt markDelivered(String orderNo);

    /** The product an order is for, by order number; empty for an unknown order. */
    OptionalLong productOf(String orderNo);

    /** Orders paid before the instant and still not delivered, oldest first. */
    List<String> paidAndUndeliveredSince(Instant paidBefore, int limit);
}
