package kami.storefront.internal;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ProductApiController {

    private final ProductListing listing;

    ProductApiController(ProductListing listing) {
        this.listing = listing;
    }

    @GetMapping("/api/products")
    List<ProductListing.ListedProduct> products() {
        return listing.all();
    }
}
