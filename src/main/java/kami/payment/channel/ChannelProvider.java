package kami.payment.channel;

import java.util.List;

/**
 * A kind of channel (a protocol), such as Alipay or the Epay protocol. Operators configure accounts of it
 * through the admin API; each account becomes one {@link PaymentChannel}.
 */
public interface ChannelProvider {

    /** The protocol name used in configuration, e.g. {@code epay}. */
    String type();

    /** The payment methods this protocol offers, each prefixed with the type, e.g. {@code epay.alipay}. */
    List<String> methods();

    /**
     * The banks a payer chooses from for one of {@link #methods()} (online banking), as the channel's bank codes,
     * e.g. {@code ICBC}; empty when the method has no bank choice. Each bank is a payment path of its own, so a
     * failing bank is cut off without its method.
     */
    default List<String> banks(String method) {
        return List.of();
    }

    /** Settings an account must have, secret or not; a missing one is the operator's error. */
    List<String> requiredSettings();

    /**
     * Builds the channel for one account. Invalid settings (a key that does not parse, a malformed URL) throw
     * {@link IllegalArgumentException} with a message fit for the operator.
     */
    PaymentChannel connect(ChannelAccount account);
}
