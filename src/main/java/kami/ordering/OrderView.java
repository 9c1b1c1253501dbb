package kami.ordering;

import java.time.Instant;
import java.util.List;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** An order as its buyer sees it; {@code keys} is present only once the order is delivered. */
public record OrderView(String orderNo, OrderStatus status, long productId, int quantity, long amountMinor,
        String currency, Instant createdAt, Instant expiresAt, @Nullable Instant paidAt, @Nullable Instant deliveredAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> keys) {
}
