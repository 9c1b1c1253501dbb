package kami.messaging.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** With the rabbitmq transport chosen, an unreachable broker stops the start with a message that says so. */
class RabbitTransportNeedsAReachableBrokerTest {

    @Test
    void anUnreachableBrokerFailsTheStartClearly() throws IOException {
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", unusedPort());
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        try {
            assertThatThrownBy(() -> new RabbitTransport(connections, new RabbitTemplate(connections),
                    new RabbitAdmin(connections), new Declarables(new TopicExchange(RabbitTransport.EXCHANGE)),
                    mock(PlatformTransactionManager.class), mock(Inbox.class), properties(),
                    mock(MessagingMetrics.class), Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("kami.messaging.transport=rabbitmq")
                    .hasMessageContaining("cannot be reached");
        } finally {
            connections.destroy();
        }
    }

    @Test
    void publisherConfirmsAreRequired() {
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            assertThatThrownBy(() -> new RabbitTransport(connections, new RabbitTemplate(connections),
                    new RabbitAdmin(connections), new Declarables(), mock(PlatformTransactionManager.class),
                    mock(Inbox.class), properties(), mock(MessagingMetrics.class), Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("publisher-confirm-type=correlated");
        } finally {
            connections.destroy();
        }
    }

    private static MessagingProperties properties() {
        return new MessagingProperties(MessagingProperties.Transport.RABBITMQ, null, null, null, null, null, null,
                null, null, null);
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
