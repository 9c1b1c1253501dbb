package kami.ordering;

import java.time.Instant;

/** An order's keys were delivered to the buyer; the keys themselves never travel in events. */
public record OrderDelivered(String orderNo, long productId, int quantity, Instant deliveredAt) {
}
