package kami.payment.internal;

import kami.payment.NewPayment;

/** One payment channel. The gateway grows this into the full channel SPI (query, refund, close). */
interface PaymentChannel {

    String name();

    /** Registers the payment with the channel and returns the URL the payer pays on. */
    String createPayment(String paymentNo, NewPayment payment);
}
