package kami.messaging;

import java.util.UUID;

/** A message as a consumer's handler receives it: the id is the same on every redelivery. */
public record ReceivedMessage<T>(UUID messageId, String topic, T payload) {
}
