package kami.messaging.internal;

import kami.messaging.Subscription;

/** A subscription with the settings it runs with on this instance. */
record RegisteredConsumer(Subscription<?> subscription, int concurrency) {

    String name() {
        return subscription.consumer();
    }

    boolean takes(String topic) {
        return subscription.topics().contains(topic);
    }
}
