package kami.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A buyer's view of an order, as the order lookup API gives it. */
public final class OrderLookups {

    private OrderLookups() {
    }

    /** Looks the order up (as its buyer) until it is delivered; fails once the deadline has passed. */
    public static JsonNode awaitDelivered(Http http, JsonNode order, Instant deadline) throws InterruptedException {
        while (true) {
            JsonNode current = http.get("/api/orders/" + order.get("orderNo").asString(), Map.of("X-Order-Token",
                    order.get("lookupToken").asString())).json();
            if ("DELIVERED".equals(current.get("status").asString())) {
                return current;
            }
            assertThat(Instant.now()).as("order " + order.get("orderNo").asString() + " still "
                    + current.get("status").asString()).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
