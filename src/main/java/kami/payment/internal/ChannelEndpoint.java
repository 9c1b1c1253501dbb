package kami.payment.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kami.payment.channel.PaymentChannel;

/**
 * A channel account ready for use. {@code local} channels keep their books in Kami's own database (the sandbox),
 * so creating a payment there can share the order's transaction; all others are called outside transactions.
 * {@code banks} holds, for each method with a bank choice, its banks in the order payers are shown them.
 */
record ChannelEndpoint(String name, String type, boolean enabled, List<String> methods,
        Map<String, List<String>> banks, PaymentChannel channel, boolean local) {

    ChannelEndpoint {
        methods = List.copyOf(methods);
        banks = banks.entrySet().stream().filter(entry -> !entry.getValue().isEmpty())
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> List.copyOf(entry.getValue())));
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("channel " + name + " offers no payment method");
        }
        if (!methods.containsAll(banks.keySet())) {
            throw new IllegalArgumentException("channel " + name + " lists banks for methods it does not offer");
        }
    }

    /** An account whose methods have no bank choice. */
    ChannelEndpoint(String name, String type, boolean enabled, List<String> methods, PaymentChannel channel,
            boolean local) {
        this(name, type, enabled, methods, Map.of(), channel, local);
    }

    String defaultMethod() {
        return methods.getFirst();
    }

    boolean offers(String method) {
        return methods.contains(method);
    }

    /** The method's banks; empty when the payer chooses no bank for it. */
    List<String> banksOf(String method) {
        return banks.getOrDefault(method, List.of());
    }
}
