package kami.ordering;

import org.jspecify.annotations.Nullable;

/**
 * An order as a buyer submits it; every field is validated by {@link Orders#place}. {@code method} is optional:
 * without it the channel's first payment method is used. {@code bank} is the payer's bank, required for a method
 * with a bank choice (online banking) and refused for any other.
 */
public record PlaceOrder(@Nullable Long productId, @Nullable Integer quantity, @Nullable String email,
        @Nullable String channel, @Nullable String method, @Nullable String bank) {

    public PlaceOrder(@Nullable Long productId, @Nullable Integer quantity, @Nullable String email,
            @Nullable String channel, @Nullable String method) {
        this(productId, quantity, email, channel, method, null);
    }

    public PlaceOrder(@Nullable Long productId, @Nullable Integer quantity, @Nullable String email,
            @Nullable String channel) {
        this(productId, quantity, email, channel, null, null);
    }
}
