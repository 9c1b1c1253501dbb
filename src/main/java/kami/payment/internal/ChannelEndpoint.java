package kami.payment.internal;

import java.util.List;
import kami.payment.channel.PaymentChannel;

/**
 * A channel account ready for use. {@code local} channels keep their books in Kami's own database (the sandbox),
 * so creating a payment there can share the order's transaction; all others are called outside transactions.
 */
record ChannelEndpoint(String name, String type, boolean enabled, List<String> methods, PaymentChannel channel,
        boolean local) {

    ChannelEndpoint {
        methods = List.copyOf(methods);
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("channel " + name + " offers no payment method");
        }
    }

    String defaultMethod() {
        return methods.getFirst();
    }

    boolean offers(String method) {
        return methods.contains(method);
    }
}
