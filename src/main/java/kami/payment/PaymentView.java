package kami.payment;

/** What a buyer needs to pay: the payment number, its channel account and method, and the page to pay on. */
public record PaymentView(String paymentNo, String channel, String method, String payUrl) {
}
