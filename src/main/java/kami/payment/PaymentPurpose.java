package kami.payment;

/**
 * What a payment pays for. Listeners of payment events act only on the purposes they own: ordering on
 * {@link #ORDER}, the wallet on {@link #WALLET_TOP_UP}.
 */
public enum PaymentPurpose {
    /** A buyer's order; the payment's {@code orderNo} is the order number. */
    ORDER,
    /** Money put into a user's wallet; the payment's {@code orderNo} holds the top-up number. */
    WALLET_TOP_UP
}
