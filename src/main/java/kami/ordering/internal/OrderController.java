package kami.ordering.internal;

import java.time.Duration;
import java.time.Instant;
import kami.ordering.OrderStatus;
import kami.ordering.OrderView;
import kami.ordering.Orders;
import kami.ordering.PlaceOrder;
import kami.ordering.PlacedOrder;
import kami.payment.PaymentView;
import kami.platform.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class OrderController {

    static final int WAIT_SECONDS_MAX = 30;

    private final Orders orders;

    OrderController(Orders orders) {
        this.orders = orders;
    }

    /** The JSON answer to placing an order. */
    record OrderCreated(String orderNo, OrderStatus status, long amountMinor, String currency, Instant expiresAt,
            String lookupToken, PaymentView payment) {
    }

    @PostMapping("/api/orders")
    ResponseEntity<OrderCreated> place(@RequestBody PlaceOrder request,
            @RequestHeader("Idempotency-Key") String idempotencyKey) {
        PlacedOrder placed = orders.place(request, idempotencyKey);
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Idempotent-Replayed", Boolean.toString(placed.replayed()))
                .body(new OrderCreated(placed.orderNo(), placed.status(), placed.amountMinor(), placed.currency(),
                        placed.expiresAt(), placed.lookupToken(), placed.payment()));
    }

    /** With {@code waitSeconds}, answers as soon as the status changes, or when the wait is over. */
    @GetMapping("/api/orders/{orderNo}")
    OrderView lookup(@PathVariable String orderNo,
            @RequestHeader(name = "X-Order-Token", required = false) String token,
            @RequestParam(defaultValue = "0") int waitSeconds) {
        if (waitSeconds < 0 || waitSeconds > WAIT_SECONDS_MAX) {
            throw ApiException.badRequest("INVALID_WAIT", "waitSeconds must be 0 to " + WAIT_SECONDS_MAX);
        }
        return orders.lookupAfterChange(orderNo, token, Duration.ofSeconds(waitSeconds))
                .orElseThrow(() -> ApiException.notFound("ORDER_NOT_FOUND", "No order " + orderNo
                        + " for this token"));
    }
}
