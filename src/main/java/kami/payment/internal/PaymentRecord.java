package kami.payment.internal;

import kami.platform.Money;
import org.jspecify.annotations.Nullable;

record PaymentRecord(String paymentNo, String orderNo, String channel, Money amount, PaymentStatus status,
        @Nullable String channelTradeNo) {
}
