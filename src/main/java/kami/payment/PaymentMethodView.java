package kami.payment;

import java.util.List;

/**
 * A way to pay that a buyer can choose now: a channel account and one of its methods. For a method with a bank
 * choice, {@code banks} lists the banks usable now (never empty: a method none of whose banks works is not
 * offered); for any other method it is empty.
 */
public record PaymentMethodView(String channel, String method, List<String> banks) {

    public PaymentMethodView {
        banks = List.copyOf(banks);
    }

    /** A method without a bank choice. */
    public PaymentMethodView(String channel, String method) {
        this(channel, method, List.of());
    }
}
