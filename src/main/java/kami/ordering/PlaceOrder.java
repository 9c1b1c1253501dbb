package kami.ordering;

import org.jspecify.annotations.Nullable;

/**
 * An order as a buyer submits it; every field is validated by {@link Orders#place}. {@code method} is optional:
 * without it the channel's first payment method is used.
 */
public record PlaceOrder(@Nullable Long productId, @Nullable Integer quantity, @Nullable String email,
        @Nullable String channel, @Nullable String method) {

    public PlaceOrder(@Nullable Long productId, @Nullable Integer quantity, @Nullable String email,
            @Nullable String channel) {
        this(productId, quantity, email, channel, null);
    }
}
