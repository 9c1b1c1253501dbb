package kami.payment;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A refund as callers see it; {@code replayed} when an earlier request with the same number answered. */
public record RefundView(String refundNo, String requestNo, String orderNo, String paymentNo, String channel,
        long amountMinor, String currency, String status, String reason, @Nullable String failureReason,
        Instant createdAt, @Nullable Instant finishedAt, boolean replayed) {
}
