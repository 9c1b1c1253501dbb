package kami.settlement.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class FeeRateProperties {

    @Property
    void theFeeIsAtMostThePaymentAndRoundsHalfUp(@ForAll @IntRange(max = 10_000) int basisPoints,
            @ForAll @LongRange(min = 1, max = 10_000_000_000_000L) long amount) {
        long fee = new FeeRate(basisPoints).feeOn(amount);

        assertThat(fee).isBetween(0L, amount);
        // |fee − amount × bp / 10 000| ≤ ½, i.e. |20 000 × fee − 2 × amount × bp| ≤ 10 000
        assertThat(java.math.BigInteger.valueOf(fee).multiply(java.math.BigInteger.valueOf(20_000))
                .subtract(java.math.BigInteger.valueOf(amount).multiply(java.math.BigInteger.valueOf(2L * basisPoints)))
                .abs()).isLessThanOrEqualTo(java.math.BigInteger.valueOf(10_000));
    }

    @Property
    void refundsInAnyPiecesReturnTheWholeFeeAndTakeTheWholeNetWhenEverythingIsRefunded(
            @ForAll @IntRange(max = 10_000) int basisPoints,
            @ForAll @LongRange(min = 1, max = 1_000_000_000L) long amount,
            @ForAll @Size(min = 1, max = 12) List<@LongRange(min = 1, max = 1_000_000) Long> weights) {
        long fee = new FeeRate(basisPoints).feeOn(amount);
        List<Long> pieces = piecesOf(amount, weights);

        long refunded = 0;
        long feeReturned = 0;
        long takenFromMerchant = 0;
        for (long piece : pieces) {
            FeeRate.RefundSplit split = FeeRate.splitRefund(amount, fee, refunded, piece);
            assertThat(split.feeMinor()).isNotNegative();
            assertThat(split.merchantMinor()).isNotNegative();
            assertThat(split.feeMinor() + split.merchantMinor()).isEqualTo(piece);
            refunded += piece;
            feeReturned += split.feeMinor();
            takenFromMerchant += split.merchantMinor();
            assertThat(feeReturned).isLessThanOrEqualTo(fee);
            assertThat(takenFromMerchant).as("never more than the merchant got").isLessThanOrEqualTo(amount - fee);
        }
        assertThat(refunded).isEqualTo(amount);
        assertThat(feeReturned).isEqualTo(fee);
        assertThat(takenFromMerchant).isEqualTo(amount - fee);
    }

    /** Splits {@code amount} into positive pieces in proportion to the weights (fewer when amount is small). */
    private static List<Long> piecesOf(long amount, List<Long> weights) {
        long total = weights.stream().mapToLong(Long::longValue).sum();
        List<Long> pieces = new ArrayList<>();
        long left = amount;
        for (int i = 0; i < weights.size() - 1 && left > 1; i++) {
            long piece = Math.max(1, Math.min(left - 1, amount * weights.get(i) / total));
            pieces.add(piece);
            left -= piece;
        }
        pieces.add(left);
        return pieces;
    }
}
