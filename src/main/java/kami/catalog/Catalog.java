package kami.catalog;

import java.util.List;
import java.util.Optional;

public interface Catalog {

    /** Creates a product; invalid fields are rejected with a problem response and nothing is stored. */
    Product create(NewProduct product);

    Optional<Product> find(long productId);

    /** Like {@link #find} but a missing product is the caller's error: 404 {@code PRODUCT_NOT_FOUND}. */
    Product require(long productId);

    List<Product> list();

    boolean merchantExists(long merchantId);

    /** The merchant with this name, created when missing. */
    long merchantNamed(String name);
}
