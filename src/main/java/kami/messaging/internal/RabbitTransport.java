package kami.messaging.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kami.platform.DatabaseOutages;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * RabbitMQ as transport. Topology: the durable topic exchange {@code kami.events}; per consumer a durable quorum
 * queue {@code kami.<consumer>} bound by each of its topics, a dead-letter queue {@code kami.<consumer>.dlq} and
 * one retry queue per backoff step, {@code kami.<consumer>.retry.<delay>ms}, whose message TTL dead-letters
 * messages back into the consumer's queue after the delay.
 *
 * <p>Publishing waits for the broker's confirm of every message; a nack, a timeout or a return (no queue bound)
 * leaves the row in the outbox. Consumers acknowledge manually after their transaction committed; a crash before
 * the ack redelivers, and the inbox recognises the message. A failed handler's message is republished to the
 * next retry queue (or, after the last retry, to the dead-letter queue) and acknowledged only once that publish
 * was confirmed; if it cannot be, the message is requeued.
 */
@Component
@ConditionalOnProperty(name = "kami.messaging.transport", havingValue = "rabbitmq")
class RabbitTransport implements Transport {

    static final String EXCHANGE = "kami.events";
    static final String TOPIC_HEADER = "x-kami-topic";
    static final String RETRIES_HEADER = "x-kami-retries";
    static final String ERROR_HEADER = "x-kami-error";
    static final String DEAD_LETTERED_AT_HEADER = "x-kami-dead-lettered-at";
    static final int DLQ_SCAN_MAX = 10_000;

    private static final Logger log = LoggerFactory.getLogger(RabbitTransport.class);

    private final CachingConnectionFactory connections;
    private final RabbitTemplate template;
    private final RabbitAdmin admin;
    private final TransactionTemplate transaction;
    private final Inbox inbox;
    private final MessagingProperties properties;
    private final MessagingMetrics metrics;
    private final Clock clock;
    private final DefaultMessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();
    private final Map<String, SimpleMessageListenerContainer> containers = new ConcurrentHashMap<>();

    RabbitTransport(CachingConnectionFactory connections, RabbitTemplate template, RabbitAdmin admin,
            Declarables exchange, PlatformTransactionManager transactions, Inbox inbox,
            MessagingProperties properties, MessagingMetrics metrics, Clock clock) {
        this.connections = connections;
        this.template = template;
        this.admin = admin;
        this.transaction = new TransactionTemplate(transactions);
        this.inbox = inbox;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
        if (!connections.isPublisherConfirms() || !connections.isPublisherReturns()) {
            throw new IllegalStateException("kami.messaging.transport=rabbitmq needs publisher confirms and returns: "
                    + "set spring.rabbitmq.publisher-confirm-type=correlated and spring.rabbitmq.publisher-returns=true");
        }
        try {
            admin.initialize();
            exchange.getDeclarablesByType(TopicExchange.class).forEach(admin::declareExchange);
        } catch (AmqpException e) {
            throw new IllegalStateException("kami.messaging.transport=rabbitmq, but RabbitMQ at "
                    + connections.getHost() + ":" + connections.getPort() + " cannot be reached or refused the "
                    + "topology: " + e.getMessage(), e);
        }
    }

    static String queue(String consumer) {
        return "kami." + consumer;
    }

    static String deadLetterQueue(String consumer) {
        return queue(consumer) + ".dlq";
    }

    String retryQueue(String consumer, int retry) {
        return queue(consumer) + ".retry." + properties.retry().delayBefore(retry).toMillis() + "ms";
    }

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public Map<UUID, SendResult> send(List<OutboxMessage> messages) {
        Map<UUID, CorrelationData> pending = new LinkedHashMap<>();
        Map<UUID, SendResult> results = new HashMap<>();
        try {
            for (OutboxMessage message : messages) {
                MessageProperties headers = new MessageProperties();
                headers.setMessageId(message.messageId().toString());
                headers.setContentType(MessageProperties.CONTENT_TYPE_JSON);
                headers.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
                headers.setTimestamp(java.util.Date.from(message.createdAt()));
                headers.setHeader(TOPIC_HEADER, message.topic());
                CorrelationData correlation = new CorrelationData(message.messageId().toString());
                template.send(EXCHANGE, message.topic(),
                        new Message(message.payload().getBytes(StandardCharsets.UTF_8), headers), correlation);
                pending.put(message.messageId(), correlation);
            }
        } catch (AmqpException e) {
            log.warn("Publishing to RabbitMQ failed: {}", e.getMessage());
        }
        pending.forEach((id, correlation) -> results.put(id, confirmation(correlation)));
        return results;
    }

    private SendResult confirmation(CorrelationData correlation) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(properties.rabbitmq().confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (correlation.getReturned() != null) {
                return SendResult.RETURNED;
            }
            return confirm.ack() ? SendResult.CONFIRMED : SendResult.NACKED;
        } catch (TimeoutException | ExecutionException e) {
            return SendResult.NACKED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.NACKED;
        }
    }

    /** Publishes to a queue through the default exchange and waits for the broker to confirm it. */
    private boolean publishConfirmed(String queue, Message message) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            template.send("", queue, message, correlation);
        } catch (AmqpException e) {
            log.warn("Publishing to {} failed: {}", queue, e.getMessage());
            return false;
        }
        return confirmation(correlation) == SendResult.CONFIRMED;
    }

    @Override
    public void start(RegisteredConsumer consumer) {
        declare(consumer);
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
        container.setQueueNames(queue(consumer.name()));
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(consumer.concurrency());
        container.setPrefetchCount(properties.rabbitmq().prefetch());
        // A connection closed in the middle of its handshake (a network cut, a broker going down) reads as a
        // possible authentication failure, which by default stops the container for good: the queue would be
        // left without this process's consumers until a restart. Keep reconnecting instead; wrong credentials
        // show as readiness DOWN and a warning per attempt.
        container.setPossibleAuthenticationFailureFatal(false);
        container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
            if (channel == null) {
                throw new IllegalStateException("manual acknowledgement needs the channel");
            }
            onMessage(consumer, message, channel);
        });
        container.afterPropertiesSet();
        container.start();
        containers.put(consumer.name(), container);
    }

    private void declare(RegisteredConsumer consumer) {
        String name = consumer.name();
        Queue main = QueueBuilder.durable(queue(name)).quorum()
                .deliveryLimit(properties.rabbitmq().deliveryLimit())
                .deadLetterExchange("").deadLetterRoutingKey(deadLetterQueue(name)).build();
        admin.declareQueue(main);
        admin.declareQueue(QueueBuilder.durable(deadLetterQueue(name)).quorum().build());
        Set<String> retryQueues = new LinkedHashSet<>();
        for (int retry = 1; retry <= properties.retry().maxRetries(); retry++) {
            if (retryQueues.add(retryQueue(name, retry))) {
                admin.declareQueue(QueueBuilder.durable(retryQueue(name, retry)).quorum()
                        .ttl((int) properties.retry().delayBefore(retry).toMillis())
                        .deadLetterExchange("").deadLetterRoutingKey(queue(name))
                        .overflow(QueueBuilder.Overflow.rejectPublish)
                        .withArgument("x-dead-letter-strategy", "at-least-once").build());
            }
        }
        TopicExchange exchange = new TopicExchange(EXCHANGE);
        for (String topic : consumer.subscription().topics()) {
            Binding binding = BindingBuilder.bind(main).to(exchange).with(topic);
            admin.declareBinding(binding);
        }
    }

    private void onMessage(RegisteredConsumer consumer, Message message, Channel channel) throws IOException {
        MessageProperties headers = message.getMessageProperties();
        long tag = headers.getDeliveryTag();
        int retries = intHeader(headers, RETRIES_HEADER);
        try {
            UUID messageId = UUID.fromString(headers.getMessageId());
            String topic = String.valueOf(headers.getHeaders().getOrDefault(TOPIC_HEADER,
                    headers.getReceivedRoutingKey()));
            Inbox.Outcome outcome = transaction.execute(status -> inbox.process(consumer, messageId, topic,
                    new String(message.getBody(), StandardCharsets.UTF_8)));
            channel.basicAck(tag, false);
            metrics.consumed(consumer.name(), outcome == Inbox.Outcome.DUPLICATE ? "duplicate" : "ok");
        } catch (RuntimeException e) {
            if (DatabaseOutages.isDatabaseOutage(e)) {
                deferDuringOutage(consumer, message, channel, tag, e);
                return;
            }
            boolean dead = retries >= properties.retry().maxRetries();
            String target = dead ? deadLetterQueue(consumer.name()) : retryQueue(consumer.name(), retries + 1);
            MessageBuilder copy = MessageBuilder.fromMessage(message);
            copy.setHeader(RETRIES_HEADER, dead ? retries : retries + 1);
            copy.setHeader(ERROR_HEADER, EmbeddedTransport.describe(e));
            if (dead) {
                copy.setHeader(DEAD_LETTERED_AT_HEADER, clock.instant().toString());
            }
            if (publishConfirmed(target, copy.build())) {
                channel.basicAck(tag, false);
                metrics.consumed(consumer.name(), dead ? "dead" : "retry");
                if (dead) {
                    log.error("ALERT consumer {} dead-lettered message {} after {} attempts: {}", consumer.name(),
                            headers.getMessageId(), retries + 1, EmbeddedTransport.describe(e));
                } else {
                    log.warn("Consumer {} failed on message {}, retry {} via {}: {}", consumer.name(),
                            headers.getMessageId(), retries + 1, target, EmbeddedTransport.describe(e));
                }
            } else {
                channel.basicNack(tag, false, true);
            }
        }
    }

    /**
     * The database could not be reached: the message waits in the first retry queue and comes back, with its
     * retries untouched, as often as it takes.
     */
    private void deferDuringOutage(RegisteredConsumer consumer, Message message, Channel channel, long tag,
            RuntimeException outage) throws IOException {
        Message copy = MessageBuilder.fromMessage(message).setHeader(ERROR_HEADER, EmbeddedTransport.describe(outage))
                .build();
        if (publishConfirmed(retryQueue(consumer.name(), 1), copy)) {
            channel.basicAck(tag, false);
            metrics.consumed(consumer.name(), "deferred");
            log.warn("Consumer {} could not reach the database for message {}; again after {}, not counted as a "
                    + "retry: {}", consumer.name(), message.getMessageProperties().getMessageId(),
                    properties.retry().delayBefore(1), EmbeddedTransport.describe(outage));
        } else {
            channel.basicNack(tag, false, true);
        }
    }

    private static int intHeader(MessageProperties headers, String name) {
        Object value = headers.getHeaders().get(name);
        return value instanceof Number number ? number.intValue() : 0;
    }

    /** The consumer's listener container, for tests. */
    @Nullable SimpleMessageListenerContainer container(String consumer) {
        return containers.get(consumer);
    }

    /** Consumers whose listener container has stopped by itself (a fatal error); their queue waits meanwhile. */
    List<String> stoppedConsumers() {
        return containers.entrySet().stream().filter(entry -> !entry.getValue().isRunning()).map(Map.Entry::getKey)
                .sorted().toList();
    }

    @Override
    public void stop(RegisteredConsumer consumer) {
        SimpleMessageListenerContainer container = containers.remove(consumer.name());
        if (container != null) {
            container.stop();
            container.destroy();
        }
    }

    @Override
    public List<DeadLetter> deadLetters(RegisteredConsumer consumer, int limit) {
        List<DeadLetter> letters = new ArrayList<>();
        scanDeadLetters(consumer, (message, channel, tag) -> {
            if (letters.size() < limit) {
                letters.add(deadLetter(consumer, message));
            }
            return false;
        }, limit);
        return letters;
    }

    @Override
    public int replay(RegisteredConsumer consumer, @Nullable UUID messageId) {
        int[] replayed = new int[1];
        scanDeadLetters(consumer, (message, channel, tag) -> {
            if (messageId != null && !messageId.toString().equals(message.getMessageProperties().getMessageId())) {
                return false;
            }
            Message fresh = MessageBuilder.fromMessage(message).setHeader(RETRIES_HEADER, 0)
                    .removeHeader(ERROR_HEADER).removeHeader(DEAD_LETTERED_AT_HEADER).build();
            if (!publishConfirmed(queue(consumer.name()), fresh)) {
                return false;
            }
            replayed[0]++;
            return true;
        }, DLQ_SCAN_MAX);
        return replayed[0];
    }

    private interface DeadLetterVisitor {

        /** @return whether the message was taken (acknowledged and removed from the dead-letter queue) */
        boolean visit(Message message, Channel channel, long tag) throws IOException;
    }

    /**
     * Reads the dead-letter queue with unacknowledged gets, then puts back everything not taken: RabbitMQ has no
     * non-destructive browse, and a requeued message keeps its place for the next reader.
     */
    private void scanDeadLetters(RegisteredConsumer consumer, DeadLetterVisitor visitor, int scanMax) {
        template.execute(channel -> {
            List<Long> putBack = new ArrayList<>();
            try {
                GetResponse response;
                int scanned = 0;
                while (scanned < scanMax
                        && (response = channel.basicGet(deadLetterQueue(consumer.name()), false)) != null) {
                    scanned++;
                    long tag = response.getEnvelope().getDeliveryTag();
                    Message message = new Message(response.getBody(), converter.toMessageProperties(
                            response.getProps(), response.getEnvelope(), "UTF-8"));
                    if (visitor.visit(message, channel, tag)) {
                        channel.basicAck(tag, false);
                    } else {
                        putBack.add(tag);
                    }
                }
            } finally {
                for (long tag : putBack) {
                    channel.basicNack(tag, false, true);
                }
            }
            return null;
        });
    }

    private DeadLetter deadLetter(RegisteredConsumer consumer, Message message) {
        MessageProperties headers = message.getMessageProperties();
        Object error = headers.getHeaders().get(ERROR_HEADER);
        Object at = headers.getHeaders().get(DEAD_LETTERED_AT_HEADER);
        String topic = String.valueOf(headers.getHeaders().getOrDefault(TOPIC_HEADER, ""));
        return new DeadLetter(UUID.fromString(headers.getMessageId()), consumer.name(), topic,
                new String(message.getBody(), StandardCharsets.UTF_8),
                error == null ? "redelivered more than the queue's delivery limit" : error.toString(),
                intHeader(headers, RETRIES_HEADER) + 1, at == null ? null : Instant.parse(at.toString()));
    }

    @Override
    public Figures figures(RegisteredConsumer consumer) {
        return new Figures(depth(queue(consumer.name())), depth(deadLetterQueue(consumer.name())));
    }

    private long depth(String queue) {
        QueueInformation information = admin.getQueueInfo(queue);
        return information == null ? 0 : information.getMessageCount();
    }

}
