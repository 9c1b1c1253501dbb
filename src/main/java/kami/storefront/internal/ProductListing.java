package kami.storefront.internal;

import java.util.List;
import java.util.Map;
import kami.catalog.Catalog;
import kami.inventory.KeyVault;
import org.springframework.stereotype.Component;

/** Products as buyers see them: price and how many keys are available right now. */
@Component
class ProductListing {

    record ListedProduct(long id, String name, String description, long priceMinor, String currency,
            long available) {
    }

    private final Catalog catalog;
    private final KeyVault vault;

    ProductListing(Catalog catalog, KeyVault vault) {
        this.catalog = catalog;
        this.vault = vault;
    }

    List<ListedProduct> all() {
        Map<Long, Long> available = vault.availableByProduct();
        return catalog.list().stream()
                .map(p -> new ListedProduct(p.id(), p.name(), p.description(), p.price().amountMinor(),
                        p.price().currencyCode(), available.getOrDefault(p.id(), 0L)))
                .toList();
    }

    ListedProduct one(long productId) {
        var product = catalog.require(productId);
        long available = vault.availableByProduct().getOrDefault(productId, 0L);
        return new ListedProduct(product.id(), product.name(), product.description(),
                product.price().amountMinor(), product.price().currencyCode(), available);
    }
}
