package kami.payment.internal;

import java.time.Instant;
import kami.payment.PaymentPurpose;
import kami.payment.channel.ChannelPayment;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/** A payment as the gateway keeps it; {@code bank} is set for methods with a bank choice only. */
record PaymentRecord(String paymentNo, String orderNo, String channel, String method, Money amount,
        PaymentStatus status, @Nullable String channelTradeNo, @Nullable String payUrl, @Nullable String returnUrl,
        Instant expiresAt, int queryAttempts, PaymentPurpose purpose, @Nullable String bank,
        @Nullable Long merchantId) {

    ChannelPayment toChannel() {
        return new ChannelPayment(paymentNo, method, amount, subject(), returnUrl == null ? "/" : returnUrl,
                expiresAt, channelTradeNo, bank);
    }

    /** What the payer sees at the channel. */
    private String subject() {
        return switch (purpose) {
            case ORDER -> "Order " + orderNo;
            case WALLET_TOP_UP -> "Wallet top-up " + orderNo;
        };
    }
}
