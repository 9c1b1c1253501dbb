package kami.ordering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A buyer who only cares about delivery asks once with {@code until=DELIVERED} and is answered then. */
class LookupUntilDeliveredTest extends KamiIntegrationTest {

    @Autowired
    private ExpirySweeper expiry;

    @Test
    void aLookupWaitingUntilDeliveredSleepsThroughOtherChanges() throws Exception {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);
        CompletableFuture<Http.Response> waiting = CompletableFuture.supplyAsync(() -> http.get("/api/orders/"
                + order.get("orderNo").asString() + "?waitSeconds=20&until=DELIVERED",
                Map.of("X-Order-Token", order.get("lookupToken").asString())));
        Thread.sleep(500);

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        expiry.sweep();
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("EXPIRED");
        Thread.sleep(500);
        assertThat(waiting).as("the expiry is not what it waits for").isNotDone();
        SandboxNotifies.send(http, SandboxNotifies.successFor(order, clock.instant()));

        Http.Response answer = waiting.get(10, TimeUnit.SECONDS);
        assertThat(answer.json().get("status").asString()).isEqualTo("DELIVERED");
        assertThat(answer.json().get("keys")).hasSize(1);
    }

    @Test
    void anUnknownUntilStatusIs400() {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);

        Http.Response answer = http.get("/api/orders/" + order.get("orderNo").asString() + "?until=SHIPPED",
                Map.of("X-Order-Token", order.get("lookupToken").asString()));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_UNTIL");
    }

}
