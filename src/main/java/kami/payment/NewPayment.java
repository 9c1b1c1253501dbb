package kami.payment;

import kami.platform.Money;

/** A payment to collect for an order; {@code returnUrl} is where the payer goes back to after paying. */
public record NewPayment(String orderNo, Money amount, String channel, String returnUrl) {
}
