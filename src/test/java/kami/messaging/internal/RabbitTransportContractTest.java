package kami.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import kami.support.Http;
import kami.support.LocalRabbit;
import kami.support.NetworkLink;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

/**
 * The messaging contract on RabbitMQ (a broker at 127.0.0.1:5672, guest/guest, as {@code .ci/run} starts it).
 * This is the one test context with the rabbitmq transport; each test's queues are deleted afterwards.
 */
@TestPropertySource(properties = "kami.messaging.transport=rabbitmq")
class RabbitTransportContractTest extends MessagingContract {

    @Autowired
    RabbitAdmin admin;
    @Autowired
    MessagingProperties properties;
    @Autowired
    Environment environment;
    @Autowired
    RabbitTransport rabbit;
    @Autowired
    MessagingHealth messagingHealth;

    @Override
    void forget(String consumer) {
        admin.deleteQueue(RabbitTransport.queue(consumer));
        admin.deleteQueue(RabbitTransport.deadLetterQueue(consumer));
        for (int retry = 1; retry <= properties.retry().maxRetries(); retry++) {
            admin.deleteQueue(RabbitTransport.queue(consumer) + ".retry."
                    + properties.retry().delayBefore(retry).toMillis() + "ms");
        }
    }

    @Test
    void readinessIncludesTheBroker() {
        Http.Response readiness = http.get("/actuator/health/readiness");

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
                .contains("messaging").contains("db");
        assertThat(new MessagingHealth("rabbitmq", providerOf(new CachingConnectionFactory("127.0.0.1",
                closedPort())), providerOf(null)).health().getStatus()).as("a broker that cannot be reached").isEqualTo(Status.DOWN);
        assertThat(new MessagingHealth("embedded", providerOf(new CachingConnectionFactory("127.0.0.1",
                closedPort())), providerOf(null)).health().getStatus()).as("no broker needed").isEqualTo(Status.UP);
    }

    @Test
    void readinessFollowsTheBrokerConnection() throws IOException {
        try (NetworkLink link = NetworkLink.to("127.0.0.1", LocalRabbit.PORT)) {
            CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", link.port());
            try {
                MessagingHealth health = new MessagingHealth("rabbitmq", providerOf(connections), providerOf(null));
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);

                // The proxy closes its sockets asynchronously: the loss is seen a moment after the unplug.
                link.unplug();
                await("the broker connection is lost", Duration.ofSeconds(10),
                        () -> health.health().getStatus().equals(Status.DOWN));

                link.plugIn();
                await("reconnected", Duration.ofSeconds(10), () -> health.health().getStatus().equals(Status.UP));
            } finally {
                connections.destroy();
            }
        }
    }

    @Test
    void aConsumerThatStoppedMakesItsProcessNotReady() {
        SimpleMessageListenerContainer delivery = rabbit.container("delivery");
        assertThat(delivery).isNotNull();
        assertThat(delivery.isPossibleAuthenticationFailureFatal())
                .as("a connection cut during its handshake must not stop the consumer for good").isFalse();
        delivery.stop();
        try {
            Http.Response readiness = http.get("/actuator/health/readiness");
            assertThat(readiness.status()).isEqualTo(503);
            assertThat(messagingHealth.health().getDetails()).containsEntry("stoppedConsumers", List.of("delivery"));
        } finally {
            delivery.start();
        }
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    private static <T> ObjectProvider<T> providerOf(T object) {
        return new ObjectProvider<>() {
            @Override
            public T getObject() {
                return object;
            }
        };
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    int messagesPerPublisher() {
        return 25;
    }
}
