package kami.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A method with a bank choice (the sandbox's online banking) needs one of its banks, and any other method takes
 * none; the chosen bank is part of the request an idempotency key stands for, and the payment records it.
 */
class OrderChoosesABankForOnlineBankingTest extends KamiIntegrationTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "sandbox.bank, -,    BANK_REQUIRED",
            "sandbox,      ICBC, BANK_NOT_SUPPORTED",
            "-,            ICBC, BANK_NOT_SUPPORTED",
            "sandbox.bank, HSBC, UNKNOWN_BANK"})
    void aBankThatDoesNotFitTheMethodIsRefusedAndReservesNothing(String method, String bank, String code) {
        long productId = productWithKeys(1, 100);

        Http.Response refused = order(productId, method, bank, UUID.randomUUID().toString());

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo(code);
        assertThat(stock(productId).get("reserved").asLong()).as("nothing reserved").isZero();
    }

    @Test
    void thePaymentRecordsTheChosenBank() {
        Http.Response placed = order(productWithKeys(1, 100), "sandbox.bank", "CMB", UUID.randomUUID().toString());

        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(placed.json().at("/payment/method").asString()).isEqualTo("sandbox.bank");
        assertThat(placed.json().at("/payment/bank").asString()).isEqualTo("CMB");
        String paymentNo = placed.json().at("/payment/paymentNo").asString();
        assertThat(jdbc.sql("select bank from payment where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()).isEqualTo("CMB");
        assertThat(jdbc.sql("select bank from sandbox_trade where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()).as("the sandbox was told the bank").isEqualTo("CMB");
        JsonNode cashier = http.get("/api/orders/" + placed.json().get("orderNo").asString() + "/payment-methods",
                Map.of("X-Order-Token", placed.json().get("lookupToken").asString())).json();
        assertThat(cashier.get("methods").valueStream()
                .filter(m -> m.get("method").asString().equals("sandbox.bank")).findFirst().orElseThrow()
                .get("banks").valueStream().map(JsonNode::asString)).contains("ICBC", "CMB");
    }

    @Test
    void theSameKeyWithAnotherBankIs422AndWithTheSameBankAReplay() {
        long productId = productWithKeys(2, 100);
        String key = UUID.randomUUID().toString();
        Http.Response first = order(productId, "sandbox.bank", "ICBC", key);

        Http.Response otherBank = order(productId, "sandbox.bank", "CMB", key);
        Http.Response sameBank = order(productId, "sandbox.bank", "ICBC", key);

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(otherBank.status()).isEqualTo(422);
        assertThat(otherBank.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(sameBank.status()).isEqualTo(201);
        assertThat(sameBank.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(sameBank.json()).isEqualTo(first.json());
        assertThat(stock(productId).get("reserved").asLong()).isEqualTo(1);
    }

    private Http.Response order(long productId, String method, String bank, String idempotencyKey) {
        Map<String, Object> body = new HashMap<>(Map.of("productId", productId, "quantity", 1, "email",
                "buyer@example.com", "channel", "sandbox"));
        if (method != null) {
            body.put("method", method);
        }
        if (bank != null) {
            body.put("bank", bank);
        }
        return http.postJson("/api/orders", body, Map.of("Idempotency-Key", idempotencyKey));
    }
}
