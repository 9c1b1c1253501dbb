package kami.payment.channel;

import java.time.Instant;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * A payment as the channel sees it. {@code paymentNo} is the merchant-side trade number (out_trade_no);
 * {@code channelTradeNo} is known once the channel has reported it. {@code bank} is the payer's bank for a method
 * with a bank choice ({@link ChannelProvider#banks}), otherwise null.
 */
public record ChannelPayment(String paymentNo, String method, Money amount, String subject, String returnUrl,
        Instant expiresAt, @Nullable String channelTradeNo, @Nullable String bank) {

    /** A payment of a method without a bank choice. */
    public ChannelPayment(String paymentNo, String method, Money amount, String subject, String returnUrl,
            Instant expiresAt, @Nullable String channelTradeNo) {
        this(paymentNo, method, amount, subject, returnUrl, expiresAt, channelTradeNo, null);
    }
}
