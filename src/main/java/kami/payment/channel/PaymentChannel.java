package kami.payment.channel;

/**
 * One channel account as the gateway uses it. Every operation talks to the channel over the network, so the
 * gateway calls them outside database transactions, behind the path's circuit breaker, bulkhead and timeout.
 */
public interface PaymentChannel {

    /** Registers the payment with the channel; the payer pays at the returned address. */
    CreatedPayment create(ChannelPayment payment) throws ChannelException;

    /** Verifies a notify as received, without side effects. */
    NotifyVerdict verify(InboundNotify notify);

    /** What the channel expects back once a notify has been recorded (or was a known duplicate). */
    NotifyReply acknowledge();

    /** What the channel expects back when a notify was not accepted; the channel will send it again. */
    NotifyReply refuse(String reason);

    /** Asks the channel for the payment's state. */
    PaymentState query(ChannelPayment payment);

    /** Closes an unpaid payment so it can no longer be paid; paid or unknown outcomes come back as they are. */
    PaymentState close(ChannelPayment payment);

    /** Asks the channel to refund part or all of a paid payment; idempotent by the refund number. */
    RefundState refund(ChannelRefund refund);

    /** Asks the channel for a refund's state. */
    RefundState queryRefund(ChannelRefund refund);
}
