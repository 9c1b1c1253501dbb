package kami.payment;

import org.jspecify.annotations.Nullable;

/**
 * What a buyer needs to pay: the payment number, its channel account, method and bank (for online banking,
 * otherwise null), and the page to pay on.
 */
public record PaymentView(String paymentNo, String channel, String method, @Nullable String bank, String payUrl) {
}
