package kami.messaging.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kami.messaging.Consumers;
import kami.messaging.Subscription;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The consumers of this instance. At start it registers every {@link Subscription} bean and starts the relay;
 * at shutdown it stops the relay first, then the consumers (a message being handled finishes or rolls back and
 * is delivered again later).
 */
@Component
class ConsumerRegistry implements Consumers, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerRegistry.class);

    private final Map<String, RegisteredConsumer> consumers = new ConcurrentHashMap<>();
    private final ObjectProvider<Subscription<?>> declared;
    private final Transport transport;
    private final Relay relay;
    private final RelayWakeups wakeups;
    private final MessagingProperties properties;
    private final Roles roles;
    private volatile boolean running;

    ConsumerRegistry(ObjectProvider<Subscription<?>> declared, Transport transport, Relay relay,
            RelayWakeups wakeups, MessagingProperties properties, Roles roles) {
        this.wakeups = wakeups;
        this.roles = roles;
        this.declared = declared;
        this.transport = transport;
        this.relay = relay;
        this.properties = properties;
    }

    @Override
    public Registration register(Subscription<?> subscription) {
        RegisteredConsumer consumer = new RegisteredConsumer(subscription,
                properties.concurrencyOf(subscription.consumer()));
        if (consumers.putIfAbsent(consumer.name(), consumer) != null) {
            throw new IllegalStateException("consumer name " + consumer.name() + " is taken");
        }
        if (!roles.worker()) {
            // Known here for the admin API (dead letters, replay); consumed only where workers run.
            return () -> consumers.remove(consumer.name(), consumer);
        }
        try {
            transport.start(consumer);
        } catch (RuntimeException e) {
            consumers.remove(consumer.name(), consumer);
            throw e;
        }
        log.info("Consumer {} takes {} ({} in parallel, {} transport)", consumer.name(),
                subscription.topics(), consumer.concurrency(), transport.name());
        return () -> {
            if (consumers.remove(consumer.name(), consumer)) {
                transport.stop(consumer);
            }
        };
    }

    Optional<RegisteredConsumer> find(String name) {
        return Optional.ofNullable(consumers.get(name));
    }

    /** The consumers registered here that take the topic, in processes with and without the worker role. */
    List<RegisteredConsumer> takersOf(String topic) {
        return consumers.values().stream().filter(consumer -> consumer.takes(topic)).toList();
    }

    Collection<RegisteredConsumer> all() {
        return List.copyOf(consumers.values());
    }

    @Override
    public void start() {
        declared.orderedStream().forEach(this::register);
        if (roles.worker()) {
            relay.start();
            wakeups.start();
        } else {
            log.info("Not a worker (kami.roles): this process relays and consumes no messages");
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            wakeups.stop();
            relay.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (roles.worker()) {
            consumers.values().forEach(transport::stop);
        }
        consumers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
