package kami.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import kami.support.Concurrently;
import kami.support.Http;
import org.junit.jupiter.api.Test;

class PayoutsAndStatementsTest extends SettlementIntegrationTest {

    @Test
    void aPayoutHoldsTheMoneyUntilPaidAndAFailedOneGivesItBack() {
        long merchant = settledMerchantWith(1000);

        String key = UUID.randomUUID().toString();
        Http.Response requested = requestPayout(merchant, 500, key);
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        assertThat(requested.json().get("status").asString()).isEqualTo("REQUESTED");
        Http.Response again = requestPayout(merchant, 500, key);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.json().get("payoutNo").asString()).isEqualTo(requested.json().get("payoutNo").asString());
        assertThat(requestPayout(merchant, 501, key).code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(balance(merchant).get("availableMinor").asLong()).isEqualTo(475);
        assertThat(balance(merchant).get("payoutsInFlightMinor").asLong()).isEqualTo(500);

        Http.Response tooMuch = requestPayout(merchant, 476, UUID.randomUUID().toString());
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(tooMuch.code()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(http.adminGet("/api/admin/merchants/" + merchant + "/payouts").json()).hasSize(1);

        String payoutNo = requested.json().get("payoutNo").asString();
        Http.Response failed = http.adminPost("/api/admin/payouts/" + payoutNo + "/failed",
                "{\"reason\":\"account closed\"}", "application/json");
        assertThat(failed.status()).as(failed.body()).isEqualTo(200);
        assertThat(failed.json().get("status").asString()).isEqualTo("FAILED");
        assertThat(http.adminPost("/api/admin/payouts/" + payoutNo + "/paid", "{}", "application/json").code())
                .isEqualTo("PAYOUT_ALREADY_FINISHED");
        assertThat(balance(merchant).get("availableMinor").asLong()).isEqualTo(975);
        assertThat(balance(merchant).get("payoutsInFlightMinor").asLong()).isZero();

        Http.Response second = requestPayout(merchant, 975, UUID.randomUUID().toString());
        String secondNo = second.json().get("payoutNo").asString();
        Http.Response paid = http.adminPost("/api/admin/payouts/" + secondNo + "/paid",
                "{\"reference\":\"bank-ref-42\"}", "application/json");
        assertThat(paid.json().get("status").asString()).isEqualTo("PAID");
        assertThat(paid.json().get("reference").asString()).isEqualTo("bank-ref-42");
        assertThat(http.adminPost("/api/admin/payouts/" + secondNo + "/paid", "{}", "application/json").status())
                .as("paid twice is the same answer").isEqualTo(200);
        assertThat(balance(merchant).get("availableMinor").asLong()).isZero();
        assertThat(balance(merchant).get("paidOutMinor").asLong()).isEqualTo(975);

        assertThat(statementTypes(merchant)).containsExactly("PAYOUT_PAID", "PAYOUT_REQUESTED", "PAYOUT_FAILED",
                "PAYOUT_REQUESTED", "SETTLEMENT");
    }

    @Test
    void concurrentPayoutsNeverTakeMoreThanIsAvailable() throws Exception {
        long merchant = settledMerchantWith(1000);

        List<Integer> statuses = Concurrently.startTogether(16, () ->
                requestPayout(merchant, 100, UUID.randomUUID().toString()).status());

        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(9);
        assertThat(statuses.stream().filter(s -> s == 409)).hasSize(7);
        assertThat(balance(merchant).get("availableMinor").asLong()).isEqualTo(75);
        assertThat(balance(merchant).get("payoutsInFlightMinor").asLong()).isEqualTo(900);
    }

    @Test
    void badPayoutRequestsAreRefusedWithClearCodes() {
        long merchant = settledMerchantWith(1000);

        Http.Response noKey = http.post("/api/admin/merchants/" + merchant + "/payouts", Http.toJson(Map.of(
                "currency", "CNY", "amountMinor", 100, "destination", "bank")), "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        assertThat(noKey.code()).isEqualTo("IDEMPOTENCY_KEY_REQUIRED");
        assertThat(requestPayout(merchant, 0, UUID.randomUUID().toString()).code()).isEqualTo("INVALID_AMOUNT");
        assertThat(requestPayout(999_999_999L, 100, UUID.randomUUID().toString()).code())
                .isEqualTo("MERCHANT_NOT_FOUND");
        assertThat(http.adminPost("/api/admin/payouts/D-NOPE/paid", "{}", "application/json").code())
                .isEqualTo("PAYOUT_NOT_FOUND");
        String payoutNo = requestPayout(merchant, 100, UUID.randomUUID().toString()).json().get("payoutNo")
                .asString();
        assertThat(http.adminPost("/api/admin/payouts/" + payoutNo + "/failed", "{}", "application/json").code())
                .isEqualTo("INVALID_REASON");
    }

    @Test
    void theStatementExportsAsCsvNewestFirst() {
        long merchant = settledMerchantWith(1000);
        requestPayout(merchant, 300, UUID.randomUUID().toString());

        Http.Response csv = http.adminGet("/api/admin/merchants/" + merchant + "/statement?format=csv");

        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.raw().headers().firstValue("Content-Disposition").orElseThrow())
                .contains("statement-merchant-" + merchant + "-available-CNY.csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst())
                .isEqualTo("sequence,at,type,status,amountMinor,balanceAfterMinor,currency,reference,transferId");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains(",PAYOUT_REQUESTED,PENDING,-300,975,CNY,");
        assertThat(lines.get(2)).contains(",SETTLEMENT,POSTED,975,975,CNY,");
        Http.Response byAccept = http.get("/api/admin/merchants/" + merchant + "/statement",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN, "Accept", "text/csv"));
        assertThat(byAccept.body()).isEqualTo(csv.body());
        assertThat(http.adminGet("/api/admin/merchants/" + merchant + "/statement?format=xml").code())
                .isEqualTo("INVALID_FORMAT");
    }

    private long settledMerchantWith(long priceMinor) {
        long merchant = newMerchant();
        paidOrder(productOf(merchant, priceMinor, 1));
        clock.advance(PAST_SETTLEMENT_DELAY);
        settleNow();
        clock.reset();
        return merchant;
    }

    private List<String> statementTypes(long merchant) {
        return http.adminGet("/api/admin/merchants/" + merchant + "/statement").json().get("lines").valueStream()
                .map(l -> l.get("type").asString()).toList();
    }
}
