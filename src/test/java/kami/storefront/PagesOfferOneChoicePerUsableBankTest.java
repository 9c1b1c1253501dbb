package kami.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order form and the wallet's top-up form offer online banking as one choice per usable bank, rendered on
 * the server; a switched-off bank is not among them, and the chosen bank reaches the payment.
 */
class PagesOfferOneChoicePerUsableBankTest extends KamiIntegrationTest {

    private static final String BANK_SWITCH = "/api/admin/channels/sandbox/methods/sandbox.bank/banks/CMB/";

    @AfterEach
    void bankOn() {
        http.adminPost(BANK_SWITCH + "enable", "", "application/json");
    }

    @Test
    void theOrderFormOffersEachUsableBankAndOrdersThroughTheChosenOne() {
        long productId = productWithKeys(1, 500);

        String form = http.get("/products/" + productId).body();

        assertThat(form).contains("value=\"sandbox/sandbox\"").contains("value=\"sandbox/sandbox.bank/ICBC\"")
                .contains("value=\"sandbox/sandbox.bank/CMB\"").contains("Online banking (sandbox) · ICBC")
                .doesNotContain("value=\"sandbox/sandbox.bank\"");
        Http.Response placed = http.post("/products/" + productId + "/order", "quantity=1&email=buyer%40example.com"
                + "&idempotencyKey=" + UUID.randomUUID() + "&payWith=sandbox%2Fsandbox.bank%2FICBC",
                "application/x-www-form-urlencoded", Map.of());
        assertThat(placed.status()).isEqualTo(302);
        assertThat(jdbc.sql("select p.method || ' ' || p.bank from payment p join customer_order o "
                + "on o.order_no = p.order_no where o.product_id = :product").param("product", productId)
                .query(String.class).single()).isEqualTo("sandbox.bank ICBC");
    }

    @Test
    void aSwitchedOffBankIsOfferedOnNeitherPage() {
        http.adminPost(BANK_SWITCH + "disable", "", "application/json");

        String form = http.get("/products/" + productWithKeys(1, 500)).body();
        String wallet = http.get("/wallet").body();

        assertThat(form).contains("value=\"sandbox/sandbox.bank/ICBC\"").doesNotContain("sandbox.bank/CMB");
        assertThat(wallet).contains("value=\"sandbox/sandbox.bank/ICBC\"").doesNotContain("sandbox.bank/CMB");
    }

    @Test
    void theTopUpFormOffersEachUsableBankButNotTheWalletItself() {
        String wallet = http.get("/wallet").body();

        assertThat(wallet).contains("value=\"sandbox/sandbox\"").contains("value=\"sandbox/sandbox.bank/BOC\"")
                .doesNotContain("value=\"wallet/");
    }
}
