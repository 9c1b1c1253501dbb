package kami.settlement.internal;

/**
 * Transfer ids of the shop's bookings. Each is derived from the business number it books, so the ledger applies
 * it once however often the booking is tried; the prefix tells a statement line's kind.
 */
final class Transfers {

    static final String PAYMENT = "pay:";
    static final String FEE = "fee:";
    static final String SETTLEMENT = "settle:";
    static final String DEBT_REPAYMENT = "settle-debt:";
    static final String REFUND = "refund:";
    static final String REFUND_FEE = "refund-fee:";
    static final String PAYOUT = "payout:";

    static String payment(String paymentNo) {
        return PAYMENT + paymentNo;
    }

    static String fee(String paymentNo) {
        return FEE + paymentNo;
    }

    static String settlement(String paymentNo) {
        return SETTLEMENT + paymentNo;
    }

    static String debtRepayment(String paymentNo) {
        return DEBT_REPAYMENT + paymentNo;
    }

    /** The part of a refund taken from one of the merchant's accounts. */
    static String refundFrom(String refundNo, String account) {
        return REFUND + refundNo + ":" + account;
    }

    static String refundFee(String refundNo) {
        return REFUND_FEE + refundNo;
    }

    /** The hold on the available balance; posting it ({@code .post}) pays out, voiding it releases the money. */
    static String payout(String payoutNo) {
        return PAYOUT + payoutNo;
    }

    private Transfers() {
    }
}
