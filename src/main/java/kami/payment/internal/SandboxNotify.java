package kami.payment.internal;

/** The sandbox PSP's notify body, as signed on the wire. */
record SandboxNotify(String paymentNo, String channelTradeNo, long amountMinor, String currency, String status,
        long timestamp, String nonce) {
}
