package kami.payment.channel;

/**
 * A channel call that did not produce an answer the gateway can act on. {@code outcomeUnknown} says whether the
 * channel may still have acted (a timeout after sending) or certainly did not (it refused the request).
 */
public class ChannelException extends Exception {

    private final boolean outcomeUnknown;

    public ChannelException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public ChannelException(String message, boolean outcomeUnknown) {
        super(message);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
