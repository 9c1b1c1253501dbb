package kami.payment.internal;

/** The sandbox PSP's public paths, in one place for the channel adapter and the PSP's controllers. */
final class SandboxPaths {

    static final String NOTIFY = "/api/notify/sandbox";

    private SandboxPaths() {
    }

    static String checkout(String paymentNo) {
        return "/sandbox/checkout/" + paymentNo;
    }
}
