package kami.payment.channel;

import java.time.Instant;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * A payment as the channel sees it. {@code paymentNo} is the merchant-side trade number (out_trade_no);
 * {@code channelTradeNo} is known once the channel has reported it.
 */
public record ChannelPayment(String paymentNo, String method, Money amount, String subject, String returnUrl,
        Instant expiresAt, @Nullable String channelTradeNo) {
}
