package kami.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import kami.ledger.Ledger;
import kami.ledger.ReconciliationReport;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What wallet tests do again and again: sign up and log in, top up through the sandbox, order with the wallet
 * channel, read the balance. Every test ends with a clean ledger reconciliation.
 */
abstract class WalletTestSupport extends KamiIntegrationTest {

    static final String PASSWORD = "correct horse battery";

    @Autowired
    protected Ledger ledger;

    @AfterEach
    void ledgerStillReconciles() {
        ReconciliationReport report = ledger.reconcile();
        assertThat(report.ok()).as("ledger reconciliation: %s", report.violations()).isTrue();
    }

    static String newEmail() {
        return "buyer-" + UUID.randomUUID() + "@example.com";
    }

    Http.Response signUp(String email, String password) {
        return http.postJson("/api/users", Map.of("email", email, "password", password), Map.of());
    }

    Http.Response login(String email, String password) {
        return http.postJson("/api/users/login", Map.of("email", email, "password", password), Map.of());
    }

    /** A new user's login token. */
    String newUser() {
        String email = newEmail();
        Http.Response created = signUp(email, PASSWORD);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response session = login(email, PASSWORD);
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        return session.json().get("token").asString();
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    Http.Response get(String token, String path) {
        return http.get(path, bearer(token));
    }

    Http.Response post(String token, String path, Object body) {
        return http.postJson(path, body, bearer(token));
    }

    Http.Response requestTopUp(String token, Object body, String idempotencyKey) {
        return http.postJson("/api/wallet/top-ups", body, Map.of("Authorization", "Bearer " + token,
                "Idempotency-Key", idempotencyKey));
    }

    /** Tops the wallet up through the sandbox: the payer pays on the sandbox, its notify credits the wallet. */
    JsonNode topUpThroughSandbox(String token, long amountMinor) {
        Http.Response created = requestTopUp(token, Map.of("amountMinor", amountMinor, "currency", "CNY",
                "channel", "sandbox"), UUID.randomUUID().toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String topUpNo = created.json().get("topUpNo").asString();
        payInSandbox(created.json().at("/payment/paymentNo").asString());
        await("top-up credited", Duration.ofSeconds(10), () -> "CREDITED".equals(
                get(token, "/api/wallet/top-ups/" + topUpNo).json().get("status").asString()));
        return created.json();
    }

    Http.Response payInSandbox(String paymentNo) {
        Http.Response paid = http.post("/sandbox/api/payments/" + paymentNo + "/pay", "", "application/json",
                Map.of());
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        return paid;
    }

    long balance(String token) {
        JsonNode balances = get(token, "/api/wallet").json().get("balances");
        return balances.valueStream().filter(b -> "CNY".equals(b.get("currency").asString()))
                .mapToLong(b -> b.get("balanceMinor").asLong()).sum();
    }

    /** An order placed to be paid from a wallet; it waits in PENDING_PAYMENT until the wallet pays it. */
    JsonNode walletOrder(long productId) {
        Http.Response placed = http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1,
                "email", "buyer@example.com", "channel", "wallet"), Map.of("Idempotency-Key",
                UUID.randomUUID().toString()));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json();
    }

    Http.Response payFromWallet(String token, JsonNode order) {
        return post(token, "/api/wallet/payments", Map.of("orderNo", order.get("orderNo").asString()));
    }

    /** The ledger account of the token's user's CNY wallet. */
    long walletAccountId(String token) {
        byte[] tokenHash;
        try {
            tokenHash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return jdbc.sql("""
                select w.ledger_account_id from wallet_session s join wallet_account w on w.user_id = s.user_id
                where s.token_hash = :hash and w.currency = 'CNY'""")
                .param("hash", tokenHash).query(Long.class).single();
    }

    long transfersWithPrefix(String prefix) {
        return jdbc.sql("select count(*) from ledger_transfer where transfer_id like :prefix")
                .param("prefix", prefix + "%").query(Long.class).single();
    }
}
