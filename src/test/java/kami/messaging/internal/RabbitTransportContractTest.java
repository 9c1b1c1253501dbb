package kami.messaging.internal;

import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
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

    @Override
    void forget(String consumer) {
        admin.deleteQueue(RabbitTransport.queue(consumer));
        admin.deleteQueue(RabbitTransport.deadLetterQueue(consumer));
        for (int retry = 1; retry <= properties.retry().maxRetries(); retry++) {
            admin.deleteQueue(RabbitTransport.queue(consumer) + ".retry."
                    + properties.retry().delayBefore(retry).toMillis() + "ms");
        }
    }

    @Override
    int messagesPerPublisher() {
        return 25;
    }
}
