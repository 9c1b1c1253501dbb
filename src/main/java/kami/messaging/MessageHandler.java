package kami.messaging;

/**
 * Handles one message inside the consumer's transaction. Throwing rolls the transaction back and schedules a
 * retry (or dead-letters the message once its retries are used up).
 */
@FunctionalInterface
public interface MessageHandler<T> {

    void handle(ReceivedMessage<T> message);
}
