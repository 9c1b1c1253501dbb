package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The sandbox PSP pays and notifies over real HTTP, also when its fault switches make that hard. */
class SandboxPspTest extends KamiIntegrationTest {

    @AfterEach
    void noFaults() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(0, 0, 0.0));
    }

    @Test
    void payingInTheSandboxDeliversTheOrderThroughItsNotify() {
        long productId = productWithKeys(2, 990);
        JsonNode order = placeOrder(productId, 1);

        Http.Response paid = pay(order);

        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.json().get("status").asString()).isEqualTo("PAID");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        String paymentNo = order.at("/payment/paymentNo").asString();
        await("notify acknowledged", Duration.ofSeconds(10), () -> "ACKNOWLEDGED".equals(jdbc.sql(
                "select notify_state from sandbox_trade where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()));
    }

    @Test
    void payingTwiceIsOnePayment() {
        JsonNode order = placeOrder(productWithKeys(2, 990), 1);

        String firstTrade = pay(order).json().get("channelTradeNo").asString();
        String secondTrade = pay(order).json().get("channelTradeNo").asString();

        assertThat(secondTrade).isEqualTo(firstTrade);
    }

    @Test
    void duplicatedNotifiesDeliverOnce() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(0, 3, 0.0));
        long productId = productWithKeys(3, 990);
        JsonNode order = placeOrder(productId, 1);

        pay(order);

        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        String paymentNo = order.at("/payment/paymentNo").asString();
        await("all copies journaled", Duration.ofSeconds(10), () -> journalCount(paymentNo) >= 4);
        assertThat(jdbc.sql("select count(*) from notify_journal where payment_no = :no and verdict = 'ACCEPTED'")
                .param("no", paymentNo).query(Long.class).single()).isEqualTo(1);
        assertThat(stock(productId).get("sold").asLong()).isEqualTo(1);
    }

    @Test
    void droppedNotifiesAreRetriedUntilAcknowledged() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(0, 0, 1.0));
        JsonNode order = placeOrder(productWithKeys(1, 990), 1);
        String paymentNo = order.at("/payment/paymentNo").asString();

        pay(order);
        await("attempts dropped", Duration.ofSeconds(15), () -> jdbc.sql(
                "select notify_attempts from sandbox_trade where payment_no = :no").param("no", paymentNo)
                .query(Integer.class).single() >= 2);
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");

        http.adminPutJson("/api/admin/sandbox/faults", faults(0, 0, 0.0));
        await("delivery after retries", Duration.ofSeconds(20),
                () -> "DELIVERED".equals(lookup(order).get("status").asString()));
    }

    @Test
    void aDelayedNotifyArrivesLate() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(1500, 0, 0.0));
        JsonNode order = placeOrder(productWithKeys(1, 990), 1);

        pay(order);

        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");
        await("delivery after the delay", Duration.ofSeconds(15),
                () -> "DELIVERED".equals(lookup(order).get("status").asString()));
    }

    @Test
    void invalidFaultSettingsAreRejected() {
        Http.Response response = http.adminPutJson("/api/admin/sandbox/faults", faults(0, 0, 1.5));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_FAULTS");
    }

    @Test
    void sickBanksMustBeSandboxBanksAndAreShownBack() {
        Http.Response unknown = http.adminPutJson("/api/admin/sandbox/faults", Map.of("notifyDelayMillis", 0,
                "duplicateNotifies", 0, "dropRate", 0.0, "failingBanks", List.of("HSBC")));
        Http.Response set = http.adminPutJson("/api/admin/sandbox/faults", Map.of("notifyDelayMillis", 0,
                "duplicateNotifies", 0, "dropRate", 0.0, "failingBanks", List.of("BOC"), "hangingBanks",
                List.of("CCB")));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("INVALID_FAULTS");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(http.adminGet("/api/admin/sandbox/faults").body())
                .contains("\"failingBanks\":[\"BOC\"]").contains("\"hangingBanks\":[\"CCB\"]");
    }

    @Test
    void payingAnUnknownPaymentIs404() {
        Http.Response response = http.post("/sandbox/api/payments/P000NOPE/pay", "", "application/json", Map.of());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("PAYMENT_NOT_FOUND");
    }

    private Http.Response pay(JsonNode order) {
        return http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay", "",
                "application/json", Map.of());
    }

    private long journalCount(String paymentNo) {
        return jdbc.sql("select count(*) from notify_journal where payment_no = :no").param("no", paymentNo)
                .query(Long.class).single();
    }

    private static Map<String, Object> faults(long delayMillis, int duplicates, double dropRate) {
        return Map.of("notifyDelayMillis", delayMillis, "duplicateNotifies", duplicates, "dropRate", dropRate);
    }
}
