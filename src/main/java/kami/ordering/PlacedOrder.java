package kami.ordering;

import java.time.Instant;
import kami.payment.PaymentView;

/**
 * The answer to placing an order, identical for every replay with the same idempotency key.
 *
 * @param replayed whether this answer repeats an earlier one (not part of the JSON body)
 */
public record PlacedOrder(String orderNo, OrderStatus status, long amountMinor, String currency, Instant expiresAt,
        String lookupToken, PaymentView payment, boolean replayed) {
}
