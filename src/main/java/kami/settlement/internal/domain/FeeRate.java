package kami.settlement.internal.domain;

import java.math.BigInteger;

/**
 * The platform's fee as basis points of a payment (100 = 1 %), rounded half up to the minor unit, and how a
 * refund returns it: in proportion to the share of the payment refunded so far, so that the fee returned by all
 * refunds of a payment adds up to its whole fee exactly when the whole payment is refunded.
 */
public record FeeRate(int basisPoints) {

    private static final long BASIS = 10_000;

    public FeeRate {
        if (basisPoints < 0 || basisPoints > BASIS) {
            throw new IllegalArgumentException("a fee rate is 0 to 10000 basis points: " + basisPoints);
        }
    }

    public long feeOn(long amountMinor) {
        return share(amountMinor, basisPoints, BASIS);
    }

    /**
     * Divides a refund between the fee it returns and the amount it takes from the merchant.
     *
     * @param refundedBeforeMinor what earlier refunds of the payment took back
     */
    public static RefundSplit splitRefund(long paymentMinor, long feeMinor, long refundedBeforeMinor,
            long refundMinor) {
        if (refundMinor <= 0 || refundedBeforeMinor < 0 || refundedBeforeMinor + refundMinor > paymentMinor
                || feeMinor < 0 || feeMinor > paymentMinor) {
            throw new IllegalArgumentException("refund of " + refundMinor + " after " + refundedBeforeMinor
                    + " does not fit a payment of " + paymentMinor + " with fee " + feeMinor);
        }
        long feeBefore = share(feeMinor, refundedBeforeMinor, paymentMinor);
        long feeAfter = share(feeMinor, refundedBeforeMinor + refundMinor, paymentMinor);
        long feePart = feeAfter - feeBefore;
        return new RefundSplit(feePart, refundMinor - feePart);
    }

    /** {@code amount × numerator / denominator} rounded half up, without overflow. */
    private static long share(long amount, long numerator, long denominator) {
        BigInteger[] quotient = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(numerator))
                .divideAndRemainder(BigInteger.valueOf(denominator));
        long whole = quotient[0].longValueExact();
        return quotient[1].shiftLeft(1).compareTo(BigInteger.valueOf(denominator)) >= 0 ? whole + 1 : whole;
    }

    /** The fee a refund returns to the merchant's side and what it takes from the merchant; they add up to it. */
    public record RefundSplit(long feeMinor, long merchantMinor) {
    }
}
