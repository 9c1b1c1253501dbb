package kami.messaging.internal;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ as transport ({@code kami.messaging.transport=rabbitmq}). The connection is Spring Boot's
 * ({@code spring.rabbitmq.*}, with correlated publisher confirms and returns switched on in
 * {@code application.properties}); the template publishes with {@code mandatory}, so an unroutable message comes
 * back instead of vanishing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kami.messaging.transport", havingValue = "rabbitmq")
class RabbitMessagingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RabbitMessagingConfiguration.class);

    @Bean
    RabbitTemplate rabbitTemplate(CachingConnectionFactory connections) {
        RabbitTemplate template = new RabbitTemplate(connections);
        template.setMandatory(true);
        template.setReturnsCallback(returned -> log.warn("RabbitMQ returned message {} ({}): {} {}",
                returned.getMessage().getMessageProperties().getMessageId(), returned.getRoutingKey(),
                returned.getReplyCode(), returned.getReplyText()));
        return template;
    }

    @Bean
    RabbitAdmin amqpAdmin(CachingConnectionFactory connections) {
        RabbitAdmin admin = new RabbitAdmin(connections);
        // Consumer queues are declared as consumers register; declare them again after a reconnect too.
        admin.setRedeclareManualDeclarations(true);
        return admin;
    }

    @Bean
    Declarables messagingExchange() {
        return new Declarables(new TopicExchange(RabbitTransport.EXCHANGE, true, false));
    }
}
