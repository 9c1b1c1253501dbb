package kami.payment;

import java.time.Instant;
import kami.platform.Money;
import org.jspecify.annotations.Nullable;

/**
 * A payment as Kami recorded it, for modules that settle payments themselves (the wallet).
 *
 * @param orderNo the order number, or for a {@link PaymentPurpose#WALLET_TOP_UP} the top-up number
 * @param status {@code PENDING}, {@code SUCCEEDED} or {@code CLOSED}
 * @param returnUrl where the payer goes back to after paying
 */
public record PaymentDetails(String paymentNo, String orderNo, PaymentPurpose purpose, String channel,
        String method, Money amount, String status, @Nullable String channelTradeNo, Instant expiresAt,
        @Nullable String returnUrl) {

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }
}
