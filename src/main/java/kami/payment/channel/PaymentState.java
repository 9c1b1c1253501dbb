package kami.payment.channel;

import java.time.Instant;
import kami.platform.Money;

/** A payment's state at the channel, as far as the channel has told. */
public sealed interface PaymentState {

    /** The payer paid this amount; final (a later refund does not undo that the payment happened). */
    record Paid(String channelTradeNo, Money amount, Instant paidAt) implements PaymentState {
    }

    /** Not paid yet; the payer may still pay. */
    record Pending() implements PaymentState {
    }

    /** Closed without payment (cancelled, expired at the channel); can no longer be paid. */
    record Closed(String reason) implements PaymentState {
    }

    /** The channel does not know the payment: it was never created there, or not yet visible. */
    record NotFound() implements PaymentState {
    }

    /** No usable answer (timeout, 5xx, unreadable or unverifiable response): ask again later. */
    record Unknown(String reason) implements PaymentState {
    }
}
