package kami.payment.channel;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * One configured account of a channel: its name in Kami (e.g. {@code epay-main}), its decrypted settings, and
 * the URL on which Kami receives its notifies.
 */
public record ChannelAccount(String name, String type, Map<String, String> settings, URI notifyUrl) {

    public ChannelAccount {
        settings = Map.copyOf(settings);
    }

    public String require(String setting) {
        String value = settings.get(setting);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("channel " + name + " needs the setting '" + setting + "'");
        }
        return value;
    }

    public Optional<String> optional(String setting) {
        return Optional.ofNullable(settings.get(setting)).filter(value -> !value.isBlank());
    }
}
