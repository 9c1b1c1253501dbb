package kami.wallet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import kami.ledger.Ledger;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A top-up nobody pays is given up after its deadline: its payment is closed at the channel and it stays
 * uncredited. Money the channel reports later all the same is recorded and credited, never dropped.
 */
class UnpaidTopUpsExpireButALatePaymentStillCreditsTest extends KamiIntegrationTest {

    @Autowired
    TopUpExpiry expiry;

    @Autowired
    Ledger ledger;

    @Test
    void anUnpaidTopUpExpiresAndALatePaymentCreditsItAfterAll() {
        String email = "late-" + UUID.randomUUID() + "@example.com";
        http.postJson("/api/users", Map.of("email", email, "password", "password1"), Map.of());
        String token = http.postJson("/api/users/login", Map.of("email", email, "password", "password1"), Map.of())
                .json().get("token").asString();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token, "Idempotency-Key",
                UUID.randomUUID().toString());
        JsonNode topUp = http.postJson("/api/wallet/top-ups", Map.of("amountMinor", 700, "currency", "CNY",
                "channel", "sandbox"), auth).json();
        String topUpNo = topUp.get("topUpNo").asString();
        String paymentNo = topUp.at("/payment/paymentNo").asString();

        clock.advance(Duration.ofMinutes(16));
        expiry.sweep();

        assertThat(status(token, topUpNo)).isEqualTo("EXPIRED");
        assertThat(jdbc.sql("select status from payment where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()).isEqualTo("CLOSED");
        assertThat(http.post("/sandbox/api/payments/" + paymentNo + "/pay", "", "application/json", Map.of())
                .code()).isEqualTo("PAYMENT_CLOSED");

        JsonNode paidAnyway = JsonMapper.builder().build().valueToTree(Map.of("payment", Map.of("paymentNo",
                paymentNo), "amountMinor", 700, "currency", "CNY"));
        Http.Response late = SandboxNotifies.send(http, SandboxNotifies.successFor(paidAnyway, clock.instant()));

        assertThat(late.status()).as(late.body()).isEqualTo(200);
        assertThat(status(token, topUpNo)).isEqualTo("CREDITED");
        assertThat(http.get("/api/wallet", Map.of("Authorization", "Bearer " + token)).json()
                .at("/balances/0/balanceMinor").asLong()).isEqualTo(700);
        assertThat(ledger.reconcile().ok()).isTrue();
    }

    private String status(String token, String topUpNo) {
        return http.get("/api/wallet/top-ups/" + topUpNo, Map.of("Authorization", "Bearer " + token)).json()
                .get("status").asString();
    }
}
