package kami.payment;

import org.jspecify.annotations.Nullable;

/**
 * A refund of an order's payment. {@code requestNo} is the caller's idempotency key: the same request number
 * with the same fields returns the same refund; with other fields it is refused. Without {@code amountMinor}
 * whatever is still refundable is refunded.
 */
public record RefundRequest(String orderNo, String requestNo, @Nullable Long amountMinor, String reason) {
}
