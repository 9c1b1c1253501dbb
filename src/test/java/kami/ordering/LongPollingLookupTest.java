package kami.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LongPollingLookupTest extends KamiIntegrationTest {

    @Test
    void aWaitingLookupAnswersWhenThePaymentChangesTheOrder() throws Exception {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);
        CompletableFuture<Http.Response> waiting = CompletableFuture.supplyAsync(() -> lookup(order, 20));
        Thread.sleep(500);
        assertThat(waiting).as("still waiting while nothing changed").isNotDone();

        SandboxNotifies.send(http, SandboxNotifies.successFor(order, clock.instant()));

        Http.Response answer = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").asString()).isIn("PAID", "DELIVERED");
    }

    @Test
    void aWaitingLookupAnswersWithTheUnchangedOrderWhenTheWaitIsOver() {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);

        Http.Response answer = lookup(order, 1);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").asString()).isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void aDeliveredOrderIsAnsweredWithoutWaiting() {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);
        SandboxNotifies.send(http, SandboxNotifies.successFor(order, clock.instant()));
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));

        Http.Response answer = lookup(order, 30);

        assertThat(answer.json().get("status").asString()).isEqualTo("DELIVERED");
        assertThat(answer.json().get("keys")).hasSize(1);
    }

    @Test
    void waitOutsideZeroToThirtySecondsIs400() {
        JsonNode order = placeOrder(productWithKeys(1, 100), 1);

        Http.Response answer = lookup(order, 31);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_WAIT");
    }

    private Http.Response lookup(JsonNode order, int waitSeconds) {
        return http.get("/api/orders/" + order.get("orderNo").asString() + "?waitSeconds=" + waitSeconds,
                Map.of("X-Order-Token", order.get("lookupToken").asString()));
    }
}
