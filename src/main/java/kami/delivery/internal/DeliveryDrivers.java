package kami.delivery.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import kami.messaging.Subscription;
import kami.ordering.OrderPaid;
import kami.ordering.Orders;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The two drivers of delivery. The fast path is the messaging consumer {@value #CONSUMER} of {@link OrderPaid}
 * (written to the outbox in the payment transaction, relayed after commit; a delivery cut short by a crash is
 * taken up again, and a redelivered message is recognised by its id). The sweeper finds paid orders that stayed
 * undelivered too long, delivers them and raises an alert, because that means the fast path failed. Both may
 * try the same order: delivery is a conditional update, so only one of them delivers.
 */
@Component
class DeliveryDrivers {

    static final int SWEEP_BATCH_MAX = 200;
    static final String CONSUMER = "delivery";

    private static final Logger log = LoggerFactory.getLogger(DeliveryDrivers.class);

    private final Roles roles;
    private final Delivery delivery;
    private final Orders orders;
    private final Clock clock;
    private final Duration sweepAfter;
    private final Counter swept;

    DeliveryDrivers(Delivery delivery, Orders orders, Clock clock,
            @Value("${kami.delivery.sweep-after:30s}") Duration sweepAfter, MeterRegistry meters, Roles roles) {
        this.roles = roles;
        this.delivery = delivery;
        this.orders = orders;
        this.clock = clock;
        this.sweepAfter = sweepAfter;
        this.swept = meters.counter("kami.delivery.swept");
    }

    @Bean
    static Subscription<OrderPaid> paidOrdersToDeliver(Delivery delivery) {
        return Subscription.of(CONSUMER, OrderPaid.TOPIC, OrderPaid.class,
                message -> delivery.deliver(message.payload().orderNo()));
    }

    @Scheduled(fixedDelayString = "${kami.delivery.sweep-interval:10s}",
            initialDelayString = "${kami.delivery.sweep-interval:10s}")
    void sweep() {
        if (!roles.worker()) {
            return;
        }
        List<String> stuck = orders.paidAndUndeliveredSince(clock.instant().minus(sweepAfter), SWEEP_BATCH_MAX);
        for (String orderNo : stuck) {
            if (delivery.deliver(orderNo)) {
                swept.increment();
                log.warn("ALERT order {} was paid more than {} ago and not delivered by its event; delivered "
                        + "by the sweeper", orderNo, sweepAfter);
            }
        }
    }
}
