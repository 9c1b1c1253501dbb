package kami.payment;

import java.util.Optional;

public interface Payments {

    /** Creates the payment in the caller's transaction; an unknown or disabled channel is the caller's error. */
    PaymentView create(NewPayment payment);

    Optional<PaymentView> findByOrder(String orderNo);

    /** Rejects (400 {@code UNKNOWN_CHANNEL}) a channel that is unknown or switched off. */
    void requireChannel(String channel);
}
