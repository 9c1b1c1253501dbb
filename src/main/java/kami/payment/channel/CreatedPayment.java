package kami.payment.channel;

/** Where the payer pays: a page to open or, for QR methods, the content of the code to scan. */
public record CreatedPayment(String payUrl) {
}
