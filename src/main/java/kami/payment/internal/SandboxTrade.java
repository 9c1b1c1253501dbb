package kami.payment.internal;

import org.jspecify.annotations.Nullable;

/** A trade on the sandbox PSP's books; {@code bank} is the payer's bank for online banking. */
record SandboxTrade(String paymentNo, long amountMinor, String currency, String returnUrl, String status,
        @Nullable String channelTradeNo, @Nullable String bank) {

    public boolean paid() {
        return "PAID".equals(status);
    }
}
