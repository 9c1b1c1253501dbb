package kami.catalog;

import org.jspecify.annotations.Nullable;

/** A product as an admin submits it; {@link Catalog#create} validates every field. */
public record NewProduct(@Nullable Long merchantId, @Nullable String name, @Nullable String description,
        @Nullable Long priceMinor, @Nullable String currency) {
}
