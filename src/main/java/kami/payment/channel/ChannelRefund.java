package kami.payment.channel;

import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/** A refund of (part of) a paid payment; {@code refundNo} is the merchant-side refund number. */
public record ChannelRefund(String refundNo, String paymentNo, String channelTradeNo, Money amount,
        Money paymentAmount, String reason, @Nullable String channelRefundNo) {
}
