package kami.messaging;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A consumer: its unique name (which is also its queue), the topics it takes, the payload type its handler
 * expects and the handler. Declare one as a bean to have it run from the start, or register it with
 * {@link Consumers}.
 */
public record Subscription<T>(String consumer, Set<String> topics, Class<T> payloadType, MessageHandler<T> handler) {

    /** Names and topics are dot-separated lowercase words: they become queue names and routing keys. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)*");
    public static final int NAME_LENGTH_MAX = 100;

    public Subscription {
        requireName("consumer", consumer);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("consumer " + consumer + " takes no topics");
        }
        topics = Set.copyOf(topics);
        topics.forEach(topic -> requireName("topic", topic));
    }

    public static <T> Subscription<T> of(String consumer, String topic, Class<T> payloadType,
            MessageHandler<T> handler) {
        return new Subscription<>(consumer, Set.of(topic), payloadType, handler);
    }

    static void requireName(String what, String name) {
        if (name.length() > NAME_LENGTH_MAX || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name must match " + NAME + " and have at most "
                    + NAME_LENGTH_MAX + " characters: '" + name + "'");
        }
    }

    /** Checks a topic name before it is published. */
    public static void requireTopic(String topic) {
        requireName("topic", topic);
    }
}
