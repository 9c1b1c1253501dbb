package kami.payment.internal;

import org.jspecify.annotations.Nullable;

/** A trade on the sandbox PSP's books. */
record SandboxTrade(String paymentNo, long amountMinor, String currency, String returnUrl, String status,
        @Nullable String channelTradeNo) {

    public boolean paid() {
        return "PAID".equals(status);
    }
}
