package kami.ordering;

import org.jspecify.annotations.Nullable;

/** An order as a buyer submits it; every field is validated by {@link Orders#place}. */
public record PlaceOrder(@Nullable Long productId, @Nullable Integer quantity, @Nullable String email,
        @Nullable String channel) {
}
