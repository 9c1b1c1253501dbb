package kami.payment;

/** A way to pay that a buyer can choose now: a channel account and one of its methods. */
public record PaymentMethodView(String channel, String method) {
}
