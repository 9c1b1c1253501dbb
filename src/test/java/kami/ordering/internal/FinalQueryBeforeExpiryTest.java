package kami.ordering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * No order expires without asking its channel first: a payment the channel confirms wins over the deadline, and
 * a payment the channel says is unpaid is closed there, so the payer cannot pay for keys no longer held.
 */
class FinalQueryBeforeExpiryTest extends KamiIntegrationTest {

    private static final Duration PAST_TIMEOUT = Duration.ofMinutes(15).plusSeconds(1);

    @Autowired
    private ExpirySweeper expiry;

    @AfterEach
    void notifiesFlowAgain() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(0.0));
    }

    @Test
    void aPaymentTheChannelConfirmsIsRecordedInsteadOfExpiringTheOrder() {
        http.adminPutJson("/api/admin/sandbox/faults", faults(1.0));
        long productId = productWithKeys(1, 700);
        JsonNode order = placeOrder(productId, 1);
        pay(order);

        clock.advance(PAST_TIMEOUT);
        expiry.sweep();

        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        assertThat(stock(productId).get("sold").asLong()).isEqualTo(1);
    }

    @Test
    void anUnpaidOrderExpiresAndItsPaymentIsClosedAtTheChannel() {
        long productId = productWithKeys(1, 700);
        JsonNode order = placeOrder(productId, 1);

        clock.advance(PAST_TIMEOUT);
        expiry.sweep();

        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("EXPIRED");
        assertThat(jdbc.sql("select status from payment where order_no = :no")
                .param("no", order.get("orderNo").asString()).query(String.class).single()).isEqualTo("CLOSED");
        Http.Response late = pay(order);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.code()).isEqualTo("PAYMENT_CLOSED");
        assertThat(stock(productId).get("available").asLong()).isEqualTo(1);
    }

    private Http.Response pay(JsonNode order) {
        return http.post("/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay", "",
                "application/json", Map.of());
    }

    private static Map<String, Object> faults(double dropRate) {
        return Map.of("notifyDelayMillis", 0, "duplicateNotifies", 0, "dropRate", dropRate);
    }
}
