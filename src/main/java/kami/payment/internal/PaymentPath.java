package kami.payment.internal;

import org.jspecify.annotations.Nullable;

/**
 * Where a payment's calls go, at the finest level fail-fast isolation knows: a channel account, one of its
 * methods and, for a method with a bank choice, the payer's bank. Each path has its own circuit breaker, ramp
 * and static switch; a bank path sits inside its method's path, so switching the method off switches its banks
 * off too.
 */
record PaymentPath(String account, String method, @Nullable String bank) {

    /** The tag value of metrics for calls that have no bank. */
    static final String NO_BANK = "none";

    PaymentPath {
        if (account.isBlank() || method.isBlank() || (bank != null && bank.isBlank())) {
            throw new IllegalArgumentException("a payment path needs an account, a method and no blank bank");
        }
    }

    static PaymentPath of(String account, String method) {
        return new PaymentPath(account, method, null);
    }

    static PaymentPath of(PaymentRecord payment) {
        return new PaymentPath(payment.channel(), payment.method(), payment.bank());
    }

    /** The path's name, as breakers, switches and metrics know it: {@code account/method[/bank]}. */
    String name() {
        return account + "/" + method + (bank == null ? "" : "/" + bank);
    }

    /** The method's path for a bank path; the path itself otherwise. */
    PaymentPath methodPath() {
        return bank == null ? this : of(account, method);
    }

    String bankTag() {
        return bank == null ? NO_BANK : bank;
    }
}
