package kami.messaging.internal;

import java.util.List;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: with the rabbitmq transport, whether the broker connection is open (a process that cannot
 * reach the broker can still take payments into its outbox, but a load balancer should prefer one that can) and
 * whether every consumer of this process is still running (a consumer stopped by a fatal error leaves its share
 * of the queue to the other workers, and needs a person).
 * With the embedded transport there is no broker to need, and it is always up. Spring Boot's own RabbitMQ
 * indicator is off because it would look for a broker even with the embedded transport.
 */
@Component("messaging")
class MessagingHealth implements HealthIndicator {

    private final String transport;
    private final ObjectProvider<ConnectionFactory> connections;
    private final ObjectProvider<RabbitTransport> rabbit;

    MessagingHealth(@Value("${kami.messaging.transport:embedded}") String transport,
            ObjectProvider<ConnectionFactory> connections, ObjectProvider<RabbitTransport> rabbit) {
        this.transport = transport;
        this.connections = connections;
        this.rabbit = rabbit;
    }

    @Override
    public Health health() {
        if (!"rabbitmq".equals(transport)) {
            return Health.up().withDetail("transport", transport).build();
        }
        RabbitTransport consumers = rabbit.getIfAvailable();
        List<String> stopped = consumers == null ? List.of() : consumers.stoppedConsumers();
        if (!stopped.isEmpty()) {
            return Health.down().withDetail("transport", transport).withDetail("stoppedConsumers", stopped).build();
        }
        try {
            boolean open = connections.getObject().createConnection().isOpen();
            return (open ? Health.up() : Health.down()).withDetail("transport", transport).build();
        } catch (RuntimeException unreachable) {
            return Health.down().withDetail("transport", transport).withDetail("error", unreachable.getMessage())
                    .build();
        }
    }
}
