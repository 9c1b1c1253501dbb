package kami.catalog.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import kami.catalog.Catalog;
import kami.catalog.NewProduct;
import kami.catalog.Product;
import kami.platform.ApiException;
import kami.platform.Money;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class JdbcCatalog implements Catalog {

    static final String DEFAULT_MERCHANT = "Default merchant";
    static final int NAME_LENGTH_MAX = 200;
    static final int DESCRIPTION_LENGTH_MAX = 4000;
    static final long PRICE_MINOR_MAX = 1_000_000_000_00L;

    private static final RowMapper<Product> PRODUCT = (rs, row) -> new Product(rs.getLong("id"),
            rs.getLong("merchant_id"), rs.getString("name"), rs.getString("description"),
            Money.of(rs.getLong("price_minor"), rs.getString("currency")));

    private final JdbcClient jdbc;
    private final Clock clock;

    JdbcCatalog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    @Transactional
    public Product create(NewProduct request) {
        String name = trimmed(request.name());
        if (name.isEmpty() || name.length() > NAME_LENGTH_MAX) {
            throw ApiException.badRequest("INVALID_PRODUCT_NAME", "name must be 1 to " + NAME_LENGTH_MAX
                    + " characters");
        }
        String description = trimmed(request.description());
        if (description.length() > DESCRIPTION_LENGTH_MAX) {
            throw ApiException.badRequest("INVALID_DESCRIPTION", "description must be at most "
                    + DESCRIPTION_LENGTH_MAX + " characters");
        }
        Long priceMinor = request.priceMinor();
        if (priceMinor == null || priceMinor < 1 || priceMinor > PRICE_MINOR_MAX) {
            throw ApiException.badRequest("INVALID_PRICE", "priceMinor must be an integer from 1 to "
                    + PRICE_MINOR_MAX + " (minor units, e.g. cents)");
        }
        Money price = Money.of(priceMinor, currency(request.currency()).getCurrencyCode());
        long merchantId = request.merchantId() != null ? requireMerchant(request.merchantId())
                : merchantNamed(DEFAULT_MERCHANT);
        long id = jdbc.sql("""
                insert into product (merchant_id, name, description, price_minor, currency, created_at)
                values (:merchant, :name, :description, :price, :currency, :now) returning id""")
                .param("merchant", merchantId).param("name", name).param("description", description)
                .param("price", price.amountMinor()).param("currency", price.currencyCode())
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class).single();
        return new Product(id, merchantId, name, description, price);
    }

    @Override
    public Optional<Product> find(long productId) {
        return jdbc.sql("select * from product where id = :id").param("id", productId).query(PRODUCT).optional();
    }

    @Override
    public Product require(long productId) {
        return find(productId).orElseThrow(() -> ApiException.notFound("PRODUCT_NOT_FOUND",
                "No product with id " + productId));
    }

    @Override
    public List<Product> list() {
        return jdbc.sql("select * from product order by id").query(PRODUCT).list();
    }

    @Override
    public boolean merchantExists(long merchantId) {
        return jdbc.sql("select count(*) from merchant where id = :id").param("id", merchantId).query(Long.class)
                .single() > 0;
    }

    @Override
    @Transactional
    public long merchantNamed(String name) {
        jdbc.sql("insert into merchant (name, created_at) values (:name, :now) on conflict (name) do nothing")
                .param("name", name).param("now", Timestamp.from(clock.instant())).update();
        return jdbc.sql("select id from merchant where name = :name").param("name", name).query(Long.class).single();
    }

    private long requireMerchant(long merchantId) {
        return jdbc.sql("select id from merchant where id = :id").param("id", merchantId).query(Long.class)
                .optional().orElseThrow(() -> ApiException.notFound("MERCHANT_NOT_FOUND",
                        "No merchant with id " + merchantId));
    }

    private static Currency currency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw ApiException.badRequest("INVALID_CURRENCY", "currency must be an ISO 4217 code such as CNY");
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CURRENCY", "unknown currency " + code);
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.strip();
    }
}
