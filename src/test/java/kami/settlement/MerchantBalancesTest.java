package kami.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kami.ledger.Transfer;
import kami.support.Concurrently;
import kami.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MerchantBalancesTest extends SettlementIntegrationTest {

    @Test
    void aPaidOrderCreditsThePendingBalanceLessTheFeeAndSettlesAfterTheDelay() {
        long merchant = newMerchant();
        JsonNode order = paidOrder(productOf(merchant, 1000, 1));
        String paymentNo = order.at("/payment/paymentNo").asString();

        JsonNode booked = balance(merchant);
        assertThat(booked.get("pendingMinor").asLong()).isEqualTo(975);
        assertThat(booked.get("availableMinor").asLong()).isZero();
        assertThat(booked.get("paymentsMinor").asLong()).isEqualTo(1000);
        assertThat(booked.get("feesMinor").asLong()).isEqualTo(25);
        Transfer fee = ledger.transfer("fee:" + paymentNo).orElseThrow();
        assertThat(fee.amountMinor()).isEqualTo(25);
        assertThat(ledger.account(fee.creditAccountId()).orElseThrow().code()).isEqualTo("platform.fees.CNY");
        assertThat(ledger.account(fee.debitAccountId()).orElseThrow().code())
                .isEqualTo("platform.channel.sandbox.CNY");

        settleNow();
        assertThat(balance(merchant).get("pendingMinor").asLong()).as("not due before the delay").isEqualTo(975);

        clock.advance(PAST_SETTLEMENT_DELAY);
        assertThat(settleNow()).isPositive();
        JsonNode settled = balance(merchant);
        assertThat(settled.get("pendingMinor").asLong()).isZero();
        assertThat(settled.get("availableMinor").asLong()).isEqualTo(975);
        assertThat(settleNow()).as("nothing is settled twice").isZero();
        assertThat(balance(merchant).get("availableMinor").asLong()).isEqualTo(975);

        JsonNode pending = statement(merchant, "pending");
        assertThat(pending.get("lines")).extracting(l -> l.get("type").asString())
                .containsExactly("SETTLEMENT", "PAYMENT");
        assertThat(pending.get("lines")).extracting(l -> l.get("amountMinor").asLong()).containsExactly(-975L, 975L);
        assertThat(pending.get("lines")).extracting(l -> l.get("balanceAfterMinor").asLong())
                .containsExactly(0L, 975L);
        assertThat(pending.at("/lines/1/reference").asString()).isEqualTo(order.get("orderNo").asString());
        JsonNode available = statement(merchant, "available");
        assertThat(available.get("lines")).extracting(l -> l.get("type").asString()).containsExactly("SETTLEMENT");
        assertThat(available.at("/lines/0/balanceAfterMinor").asLong()).isEqualTo(975);
    }

    @Test
    void aPaymentKnowsItsMerchantAndOneCreatedBeforePaymentsDidIsBookedToTheOrdersMerchant() {
        long merchant = newMerchant();
        long product = productOf(merchant, 1000, 2);
        JsonNode recorded = placeOrder(product, 1);
        assertThat(merchantOfPayment(recorded)).isEqualTo(merchant);
        JsonNode older = placeOrder(product, 1);
        jdbc.sql("update payment set merchant_id = null where payment_no = :no")
                .param("no", older.at("/payment/paymentNo").asString()).update();

        for (JsonNode order : List.of(recorded, older)) {
            http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay", "",
                    "application/json", Map.of());
            await("delivery", Duration.ofSeconds(10),
                    () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        }

        JsonNode booked = balance(merchant);
        assertThat(booked.get("paymentsMinor").asLong()).isEqualTo(2000);
        assertThat(booked.get("pendingMinor").asLong()).isEqualTo(2 * 975);
    }

    private Long merchantOfPayment(JsonNode order) {
        return jdbc.sql("select merchant_id from payment where payment_no = :no")
                .param("no", order.at("/payment/paymentNo").asString()).query(Long.class).single();
    }

    @Test
    void refundsBeforeSettlementComeOutOfPendingAndReturnTheirShareOfTheFee() {
        long merchant = newMerchant();
        String orderNo = paidOrder(productOf(merchant, 1000, 1)).get("orderNo").asString();

        refund(orderNo, 400L);
        JsonNode afterPartial = balance(merchant);
        assertThat(afterPartial.get("pendingMinor").asLong()).isEqualTo(975 - 390);
        assertThat(afterPartial.get("feesMinor").asLong()).isEqualTo(15);
        assertThat(afterPartial.get("refundedMinor").asLong()).isEqualTo(400);

        refund(orderNo, null);
        JsonNode afterFull = balance(merchant);
        assertThat(afterFull.get("pendingMinor").asLong()).isZero();
        assertThat(afterFull.get("feesMinor").asLong()).as("a full refund returns the whole fee").isZero();
        assertThat(afterFull.get("refundedMinor").asLong()).isEqualTo(1000);

        clock.advance(PAST_SETTLEMENT_DELAY);
        settleNow();
        assertThat(balance(merchant).get("availableMinor").asLong()).isZero();
        assertThat(statement(merchant, "pending").get("lines")).extracting(l -> l.get("type").asString())
                .containsExactly("REFUND", "REFUND", "PAYMENT");
    }

    @Test
    void aRefundTheAvailableBalanceCannotCoverBecomesDebtRepaidByTheNextSettlement() {
        long merchant = newMerchant();
        long product = productOf(merchant, 1000, 2);
        String first = paidOrder(product).get("orderNo").asString();
        clock.advance(PAST_SETTLEMENT_DELAY);
        settleNow();
        clock.reset();
        Http.Response payout = requestPayout(merchant, 900, UUID.randomUUID().toString());
        assertThat(payout.status()).as(payout.body()).isEqualTo(201);

        refund(first, null);
        JsonNode indebted = balance(merchant);
        assertThat(indebted.get("availableMinor").asLong()).isZero();
        assertThat(indebted.get("payoutsInFlightMinor").asLong()).isEqualTo(900);
        assertThat(indebted.get("owedMinor").asLong()).isEqualTo(900);

        String payoutNo = payout.json().get("payoutNo").asString();
        assertThat(http.adminPost("/api/admin/payouts/" + payoutNo + "/paid", "{\"reference\":\"bank-123\"}",
                "application/json").status()).isEqualTo(200);
        paidOrder(product);
        clock.advance(PAST_SETTLEMENT_DELAY.multipliedBy(2));
        settleNow();

        JsonNode repaid = balance(merchant);
        assertThat(repaid.get("owedMinor").asLong()).isZero();
        assertThat(repaid.get("availableMinor").asLong()).isEqualTo(975 - 900);
        assertThat(repaid.get("paidOutMinor").asLong()).isEqualTo(900);
        JsonNode owed = statement(merchant, "owed");
        assertThat(owed.get("lines")).extracting(l -> l.get("type").asString())
                .containsExactly("DEBT_REPAYMENT", "REFUND");
        assertThat(owed.get("lines")).extracting(l -> l.get("amountMinor").asLong()).containsExactly(-900L, 900L);
        assertThat(owed.get("lines")).extracting(l -> l.get("balanceAfterMinor").asLong()).containsExactly(0L, 900L);
    }

    @Test
    void paymentsOfOneMerchantBookedConcurrentlyAddUp() throws Exception {
        long merchant = newMerchant();
        long product = productOf(merchant, 200, 12);

        List<JsonNode> orders = Concurrently.startTogether(12, () -> paidOrder(product));

        assertThat(orders).hasSize(12);
        assertThat(balance(merchant).get("pendingMinor").asLong()).isEqualTo(12 * 195);
        clock.advance(PAST_SETTLEMENT_DELAY);
        settleNow();
        assertThat(balance(merchant).get("availableMinor").asLong()).isEqualTo(12 * 195);
        assertThat(jdbc.sql("select count(*) from settlement_payment where merchant_id = :m and settled_at is not null")
                .param("m", merchant).query(Long.class).single()).isEqualTo(12);
    }

    @Test
    void refundsRacingPayoutsNeverOverdrawAndEveryCentIsAccountedFor() throws Exception {
        long merchant = newMerchant();
        long product = productOf(merchant, 1000, 8);
        List<String> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            orders.add(paidOrder(product).get("orderNo").asString());
        }
        clock.advance(PAST_SETTLEMENT_DELAY);
        settleNow();
        clock.reset();
        assertThat(balance(merchant).get("availableMinor").asLong()).isEqualTo(8 * 975);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        List<Integer> payoutStatuses = Concurrently.startTogether(16, () -> {
            int i = next.getAndIncrement();
            if (i % 2 == 0) {
                refund(orders.get(i / 2), null);
                return 0;
            }
            return requestPayout(merchant, 975, UUID.randomUUID().toString()).status();
        });

        long payoutsAccepted = payoutStatuses.stream().filter(s -> s == 201).count();
        assertThat(payoutStatuses.stream().filter(s -> s != 0 && s != 201 && s != 409)).isEmpty();
        JsonNode after = balance(merchant);
        assertThat(after.get("availableMinor").asLong()).isNotNegative();
        assertThat(after.get("payoutsInFlightMinor").asLong()).isEqualTo(payoutsAccepted * 975);
        // Everything settled went back with the refunds: what is held for payouts is owed by the merchant.
        assertThat(after.get("availableMinor").asLong() + after.get("payoutsInFlightMinor").asLong()
                - after.get("owedMinor").asLong()).isZero();
        assertThat(jdbc.sql("""
                select count(*) from settlement_refund r join settlement_payment p using (payment_no)
                where p.merchant_id = :m and r.from_available_minor + r.from_owed_minor = 975
                  and r.fee_minor = 25 and r.from_pending_minor = 0""")
                .param("m", merchant).query(Long.class).single()).isEqualTo(8);
    }

    @Test
    void unknownMerchantsAndBadQueriesAreClearErrors() {
        assertThat(http.adminGet("/api/admin/merchants/999999999/balance").code()).isEqualTo("MERCHANT_NOT_FOUND");
        long merchant = newMerchant();
        assertThat(http.adminGet("/api/admin/merchants/" + merchant + "/statement").code())
                .isEqualTo("CURRENCY_REQUIRED");
        assertThat(http.adminGet("/api/admin/merchants/" + merchant + "/statement?currency=XX").code())
                .isEqualTo("INVALID_CURRENCY");
        assertThat(http.adminGet("/api/admin/merchants/" + merchant + "/statement?currency=CNY&account=bank").code())
                .isEqualTo("INVALID_STATEMENT_ACCOUNT");
        assertThat(http.adminGet("/api/admin/merchants/" + merchant + "/statement?currency=CNY&limit=0").code())
                .isEqualTo("LIMIT_OUT_OF_RANGE");
        assertThat(http.adminGet("/api/admin/merchants/" + merchant + "/balance").json().get("balances")).isEmpty();
    }

    private JsonNode statement(long merchant, String account) {
        Http.Response response = http.adminGet("/api/admin/merchants/" + merchant + "/statement?account=" + account);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
