package kami.ordering.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import kami.ordering.OrderStatus;
import kami.ordering.OrderView;
import kami.ordering.Orders;
import kami.ordering.PlaceOrder;
import kami.ordering.PlacedOrder;
import kami.payment.PaymentMethodView;
import kami.payment.PaymentView;
import kami.payment.Payments;
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
    private final Payments payments;

    OrderController(Orders orders, Payments payments) {
        this.orders = orders;
        this.payments = payments;
    }

    /** The cashier's list for one order: only ways to pay that are switched on and not failing now. */
    record OrderPaymentMethods(String orderNo, OrderStatus status, List<PaymentMethodView> methods) {
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

    /**
     * With {@code waitSeconds}, answers as soon as the status changes, or when the wait is over; with
     * {@code until} as well, only once the order reaches that status (or a final one).
     */
    @GetMapping("/api/orders/{orderNo}")
    OrderView lookup(@PathVariable String orderNo,
            @RequestHeader(name = "X-Order-Token", required = false) String token,
            @RequestParam(defaultValue = "0") int waitSeconds, @RequestParam(required = false) String until) {
        if (waitSeconds < 0 || waitSeconds > WAIT_SECONDS_MAX) {
            throw ApiException.badRequest("INVALID_WAIT", "waitSeconds must be 0 to " + WAIT_SECONDS_MAX);
        }
        Duration wait = Duration.ofSeconds(waitSeconds);
        Optional<OrderView> order = until == null ? orders.lookupAfterChange(orderNo, token, wait)
                : orders.lookupWhenReached(orderNo, token, status(until), wait);
        return order.orElseThrow(() -> ApiException.notFound("ORDER_NOT_FOUND", "No order " + orderNo
                + " for this token"));
    }

    private static OrderStatus status(String name) {
        try {
            return OrderStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_UNTIL", "until must be one of "
                    + Arrays.toString(OrderStatus.values()));
        }
    }

    @GetMapping("/api/orders/{orderNo}/payment-methods")
    OrderPaymentMethods paymentMethods(@PathVariable String orderNo,
            @RequestHeader(name = "X-Order-Token", required = false) String token) {
        OrderView order = orders.lookup(orderNo, token).orElseThrow(() -> ApiException.notFound("ORDER_NOT_FOUND",
                "No order " + orderNo + " for this token"));
        return new OrderPaymentMethods(orderNo, order.status(), order.status() == OrderStatus.PENDING_PAYMENT
                ? payments.availableMethods() : List.of());
    }
}
