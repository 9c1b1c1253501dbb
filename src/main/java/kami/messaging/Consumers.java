package kami.messaging;

/** Consumers registered at run time (those declared as {@link Subscription} beans are registered at start). */
public interface Consumers {

    /**
     * Starts consuming for the subscription; its name must not be in use.
     *
     * @return a handle that stops the consumer again (messages for it stay queued)
     */
    Registration register(Subscription<?> subscription);

    interface Registration {

        void stop();
    }
}
