package kami.ordering.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import kami.inventory.KeyVault;
import kami.messaging.Outbox;
import kami.messaging.Subscription;
import kami.ordering.OrderPaid;
import kami.ordering.OrderStatus;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentSucceeded;
import kami.payment.Payments;
import kami.payment.RefundRequest;
import kami.payment.RefundSucceeded;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies a payment to its order inside the transaction that records the payment (payments for other purposes,
 * such as wallet top-ups, are not orders and are left alone), so the payment, the order's
 * new status and the {@link OrderPaid} message in the outbox commit together or not at all. The same event is
 * also published in process for listeners that act inside this transaction (merchant webhooks). A payment is never dropped: an
 * expired order gets keys again if there are any, otherwise it is marked for refund and reported.
 */
@Component
class PaymentOutcomes {

    private static final Logger log = LoggerFactory.getLogger(PaymentOutcomes.class);

    private final JdbcClient jdbc;
    private final JdbcOrders orders;
    private final KeyVault vault;
    private final ApplicationEventPublisher events;
    private final Outbox outbox;
    private final OrderChangeSignals signals;
    private final Payments payments;
    private final Counter paidAfterExpiry;
    private final Counter needsRefund;

    PaymentOutcomes(JdbcClient jdbc, JdbcOrders orders, KeyVault vault, ApplicationEventPublisher events,
            Outbox outbox, OrderChangeSignals signals, Payments payments, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.vault = vault;
        this.events = events;
        this.outbox = outbox;
        this.signals = signals;
        this.payments = payments;
        this.paidAfterExpiry = meters.counter("kami.orders.paid.after.expiry");
        this.needsRefund = meters.counter("kami.orders.needs.refund");
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(PaymentSucceeded payment) {
        if (payment.purpose() != PaymentPurpose.ORDER) {
            return;
        }
        String orderNo = payment.orderNo();
        Optional<OrderPaid> paid = transition(orderNo, OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, payment, null);
        if (paid.isPresent()) {
            announce(paid.get());
            return;
        }
        OrderRow order = orders.find(orderNo).orElseThrow(() -> new IllegalStateException(
                "payment " + payment.paymentNo() + " belongs to unknown order " + orderNo));
        if (order.status() == OrderStatus.EXPIRED) {
            paidAfterExpiry.increment();
            if (vault.reserve(order.productId(), order.quantity(), orderNo)) {
                transition(orderNo, OrderStatus.EXPIRED, OrderStatus.PAID, payment,
                        "paid after expiry; keys reserved again").ifPresent(this::announce);
                log.info("Order {} was paid after it expired; its keys were reserved again", orderNo);
            } else {
                transition(orderNo, OrderStatus.EXPIRED, OrderStatus.NEEDS_REFUND, payment,
                        "paid after expiry; out of stock");
                needsRefund.increment();
                payments.requestRefund(new RefundRequest(orderNo, "auto-" + payment.paymentNo(), null,
                        "paid after the order expired; no keys left"));
                log.warn("ALERT order {} was paid ({}) after it expired and no keys are left: refunding it",
                        orderNo, payment.amount());
            }
            return;
        }
        // A payment succeeds once, so any other state means two payments for one order: report, keep the money.
        log.error("ALERT payment {} succeeded for order {} which is already {}: investigate and refund",
                payment.paymentNo(), orderNo, order.status());
    }

    /** Delivery takes the message from the outbox; in-transaction listeners take the event. */
    private void announce(OrderPaid paid) {
        outbox.publish(OrderPaid.TOPIC, paid);
        events.publishEvent(paid);
    }

    /** The conditional update; what it returns is the event to announce a move to PAID. */
    private Optional<OrderPaid> transition(String orderNo, OrderStatus from, OrderStatus to,
            PaymentSucceeded payment, @Nullable String reason) {
        from.requireTransitionTo(to);
        Optional<OrderPaid> changed = jdbc.sql("""
                update customer_order set status = :to, paid_at = :paidAt, status_reason = :reason
                where order_no = :no and status = :from
                returning order_no, product_id, quantity""")
                .param("to", to.name()).param("paidAt", Timestamp.from(payment.succeededAt()))
                .param("reason", reason).param("no", orderNo).param("from", from.name())
                .query((rs, row) -> new OrderPaid(rs.getString("order_no"), rs.getLong("product_id"),
                        rs.getInt("quantity")))
                .optional();
        if (changed.isPresent()) {
            signals.changed(List.of(orderNo), to);
        }
        return changed;
    }

    static final String REFUNDS_CONSUMER = "ordering.refunds";

    /** Refunds reach orders through the messaging outbox, as consumer {@value #REFUNDS_CONSUMER}. */
    @Bean
    static Subscription<RefundSucceeded> refundsEndingOrders(PaymentOutcomes outcomes) {
        return Subscription.of(REFUNDS_CONSUMER, RefundSucceeded.TOPIC, RefundSucceeded.class,
                message -> outcomes.on(message.payload()));
    }

    /** A payment refunded in full ends an order that was waiting for its refund. */
    void on(RefundSucceeded refund) {
        if (refund.purpose() != PaymentPurpose.ORDER || !refund.fullyRefunded()) {
            return;
        }
        OrderStatus.NEEDS_REFUND.requireTransitionTo(OrderStatus.REFUNDED);
        int changed = jdbc.sql("""
                update customer_order set status = 'REFUNDED', status_reason = :reason
                where order_no = :no and status = 'NEEDS_REFUND'""")
                .param("reason", "refunded by " + refund.refundNo()).param("no", refund.orderNo()).update();
        if (changed == 1) {
            signals.changed(List.of(refund.orderNo()), OrderStatus.REFUNDED);
            log.info("Order {} was refunded in full ({})", refund.orderNo(), refund.amount());
        }
    }
}
