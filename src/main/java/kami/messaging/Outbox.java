package kami.messaging;

/**
 * The one way a module publishes a message to other modules. The message is written as a row in the caller's
 * transaction (in the outbox, or with the embedded transport straight into each consumer's deliveries): it exists
 * if and only if that transaction commits, and it reaches every consumer of its topic after the commit, at least
 * once.
 */
public interface Outbox {

    /**
     * Writes {@code payload} (serialized as JSON) for {@code topic}. Must be called inside a transaction.
     *
     * @return the message id consumers see (and de-duplicate by)
     * @throws org.springframework.transaction.IllegalTransactionStateException outside a transaction
     */
    java.util.UUID publish(String topic, Object payload);
}
