package kami.catalog.internal;

import java.util.Map;
import kami.catalog.Catalog;
import kami.catalog.NewProduct;
import kami.catalog.Product;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AdminProductController {

    private final Catalog catalog;

    AdminProductController(Catalog catalog) {
        this.catalog = catalog;
    }

    @PostMapping("/api/admin/products")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create(@RequestBody NewProduct request) {
        Product product = catalog.create(request);
        return Map.of("id", product.id(), "merchantId", product.merchantId(), "name", product.name(),
                "description", product.description(), "priceMinor", product.price().amountMinor(),
                "currency", product.price().currencyCode());
    }
}
