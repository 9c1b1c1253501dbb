package kami.demo.internal;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kami.catalog.Catalog;
import kami.catalog.NewProduct;
import kami.catalog.Product;
import kami.inventory.KeyVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seeds the demo shop once. Whether it ran is recorded in the database (a Flyway-created marker row), so a
 * restart, or a demo product sold out, never brings demo keys back.
 */
@Component
@ConditionalOnProperty(name = "kami.demo.enabled", havingValue = "true", matchIfMissing = true)
class DemoData {

    static final String MERCHANT = "Demo Merchant";
    static final int KEYS_PER_PRODUCT = 20;

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final List<NewProduct> PRODUCTS = List.of(
            new NewProduct(null, "Steam Wallet Code 50", "A 50-unit Steam wallet top-up code.", 3500L, "CNY"),
            new NewProduct(null, "Windows Activation Key", "A retail licence key for one PC.", 9900L, "CNY"),
            new NewProduct(null, "Game Card 100", "A 100-point game card.", 1000L, "CNY"));

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final KeyVault vault;

    DemoData(JdbcClient jdbc, Catalog catalog, KeyVault vault) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.vault = vault;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void seedOnFirstStart() {
        int claimed = jdbc.sql("update demo_seed set seeded = true where seeded = false").update();
        if (claimed == 0) {
            return;
        }
        long merchantId = catalog.merchantNamed(MERCHANT);
        for (NewProduct template : PRODUCTS) {
            Product product = catalog.create(new NewProduct(merchantId, template.name(), template.description(),
                    template.priceMinor(), template.currency()));
            String keys = IntStream.rangeClosed(1, KEYS_PER_PRODUCT)
                    .mapToObj(i -> "DEMO-" + product.id() + "-" + String.format("%04d", i) + "-"
                            + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            vault.importKeys(product.id(), keys);
        }
        log.info("Seeded the demo shop: {} products with {} keys each", PRODUCTS.size(), KEYS_PER_PRODUCT);
    }
}
