package kami.payment.channel;

import java.time.Instant;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/** A refund's state at the channel. */
public sealed interface RefundState {

    /** The money went back to the payer. */
    record Succeeded(@Nullable String channelRefundNo, Money amount, Instant at) implements RefundState {
    }

    /** Accepted by the channel and under way. */
    record Processing(@Nullable String channelRefundNo) implements RefundState {
    }

    /** Refused or failed for good; {@code reason} is the channel's. */
    record Failed(String reason) implements RefundState {
    }

    /** No usable answer: ask again later, never treat as failed. */
    record Unknown(String reason) implements RefundState {
    }
}
