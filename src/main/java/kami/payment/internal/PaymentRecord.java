package kami.payment.internal;

import java.time.Instant;
import kami.payment.channel.ChannelPayment;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

record PaymentRecord(String paymentNo, String orderNo, String channel, String method, Money amount,
        PaymentStatus status, @Nullable String channelTradeNo, @Nullable String payUrl, @Nullable String returnUrl,
        Instant expiresAt, int queryAttempts) {

    ChannelPayment toChannel() {
        return new ChannelPayment(paymentNo, method, amount, "Order " + orderNo, returnUrl == null ? "/" : returnUrl,
                expiresAt, channelTradeNo);
    }
}
