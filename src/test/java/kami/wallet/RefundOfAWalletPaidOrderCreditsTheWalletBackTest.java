package kami.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The wallet channel refunds at once, and the money goes back into the wallet that paid, once per refund. */
class RefundOfAWalletPaidOrderCreditsTheWalletBackTest extends WalletTestSupport {

    @Test
    void fullAndPartialRefundsGoBackIntoTheWalletOnce() {
        String token = newUser();
        topUpThroughSandbox(token, 1000);
        JsonNode order = walletOrder(productWithKeys(1, 400));
        String orderNo = order.get("orderNo").asString();
        assertThat(payFromWallet(token, order).status()).isEqualTo(201);
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        assertThat(balance(token)).isEqualTo(600);

        String requestNo = "req-" + UUID.randomUUID();
        Http.Response part = refund(orderNo, requestNo, 150L);
        Http.Response sameRequest = refund(orderNo, requestNo, 150L);
        awaitRefundSucceeded(part.json().get("refundNo").asString());
        Http.Response rest = refund(orderNo, "req-" + UUID.randomUUID(), null);
        awaitRefundSucceeded(rest.json().get("refundNo").asString());

        assertThat(part.status()).as(part.body()).isEqualTo(201);
        assertThat(sameRequest.status()).isEqualTo(200);
        assertThat(rest.json().get("amountMinor").asLong()).isEqualTo(250);
        assertThat(refund(orderNo, "req-" + UUID.randomUUID(), 1L).code()).isEqualTo("REFUND_EXCEEDS_PAYMENT");
        assertThat(balance(token)).isEqualTo(1000);
        assertThat(transfersWithPrefix("wallet-refund:" + part.json().get("refundNo").asString())).isEqualTo(1);
        assertThat(transfersWithPrefix("wallet-refund:" + rest.json().get("refundNo").asString())).isEqualTo(1);
        List<JsonNode> entries = get(token, "/api/wallet/history?currency=CNY").json().get("entries")
                .valueStream().toList();
        assertThat(entries.get(0).get("kind").asString()).isEqualTo("REFUND");
        assertThat(entries.get(0).get("amountMinor").asLong()).isEqualTo(250);
        assertThat(entries.get(0).get("balanceAfterMinor").asLong()).isEqualTo(1000);
        assertThat(entries.get(0).get("reference").asString()).isEqualTo(orderNo);
    }

    @Test
    void aTopUpIsNotRefundedThroughTheOrderRefunds() {
        String token = newUser();
        JsonNode topUp = topUpThroughSandbox(token, 500);

        Http.Response refused = refund(topUp.get("topUpNo").asString(), "req-" + UUID.randomUUID(), null);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("NOT_REFUNDABLE");
        assertThat(balance(token)).isEqualTo(500);
    }

    private void awaitRefundSucceeded(String refundNo) {
        await("refund " + refundNo + " succeeded", Duration.ofSeconds(10), () -> "SUCCEEDED".equals(
                http.adminGet("/api/admin/refunds/" + refundNo).json().get("status").asString()));
    }

    private Http.Response refund(String orderNo, String requestNo, Long amountMinor) {
        Map<String, Object> body = new HashMap<>();
        body.put("requestNo", requestNo);
        body.put("reason", "buyer asked");
        if (amountMinor != null) {
            body.put("amountMinor", amountMinor);
        }
        return http.post("/api/admin/orders/" + orderNo + "/refunds", Http.toJson(body), "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
    }
}
