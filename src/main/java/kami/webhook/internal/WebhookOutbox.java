package kami.webhook.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kami.ordering.OrderDelivered;
import kami.ordering.OrderPaid;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentSucceeded;
import kami.payment.RefundSucceeded;
import kami.platform.Ids;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes a webhook for each enabled endpoint in the transaction that publishes the event: if that transaction
 * rolls back there is no webhook, if it commits the webhook is in the outbox and will be sent. Only payments and
 * refunds of orders are announced: a wallet top-up is between Kami and a user, not the merchant's business.
 */
@Component
class WebhookOutbox {

    private final JdbcClient jdbc;
    private final WebhookEndpoints endpoints;
    private final WebhookSender sender;
    private final ObjectMapper json;
    private final Clock clock;

    WebhookOutbox(JdbcClient jdbc, WebhookEndpoints endpoints, WebhookSender sender, ObjectMapper json,
            Clock clock) {
        this.jdbc = jdbc;
        this.endpoints = endpoints;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(PaymentSucceeded event) {
        if (event.purpose() != PaymentPurpose.ORDER) {
            return;
        }
        write("payment.succeeded", Map.of("paymentNo", event.paymentNo(), "orderNo", event.orderNo(),
                "amountMinor", event.amount().amountMinor(), "currency", event.amount().currencyCode(),
                "channel", event.channel(), "channelTradeNo", event.channelTradeNo(),
                "succeededAt", event.succeededAt().toString()));
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(OrderPaid event) {
        write("order.paid", Map.of("orderNo", event.orderNo(), "productId", event.productId(),
                "quantity", event.quantity()));
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(OrderDelivered event) {
        write("order.delivered", Map.of("orderNo", event.orderNo(), "productId", event.productId(),
                "quantity", event.quantity(), "deliveredAt", event.deliveredAt().toString()));
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(RefundSucceeded event) {
        if (event.purpose() != PaymentPurpose.ORDER) {
            return;
        }
        write("refund.succeeded", Map.of("refundNo", event.refundNo(), "paymentNo", event.paymentNo(),
                "orderNo", event.orderNo(), "amountMinor", event.amount().amountMinor(),
                "currency", event.amount().currencyCode(), "fullyRefunded", event.fullyRefunded(),
                "refundedAt", event.at().toString()));
    }

    private void write(String type, Map<String, Object> data) {
        List<Long> targets = endpoints.enabledIds();
        if (targets.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String eventId = "evt_" + Ids.next('E', now);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", eventId);
        envelope.put("type", type);
        envelope.put("createdAt", now.toString());
        envelope.put("data", data);
        String payload = json.writeValueAsString(envelope);
        for (long endpointId : targets) {
            jdbc.sql("""
                    insert into webhook_delivery (event_id, event_type, endpoint_id, payload, status,
                        next_attempt_at, created_at)
                    values (:event, :type, :endpoint, :payload, 'PENDING', :now, :now)""")
                    .param("event", eventId).param("type", type).param("endpoint", endpointId)
                    .param("payload", payload).param("now", Timestamp.from(now)).update();
        }
        sender.sendAfterCommit();
    }
}
