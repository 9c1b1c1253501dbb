package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.RefundState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A refund succeeds or is refused by the provider's answer; without a readable answer it is Unknown. */
class EpayRefundTest {

    private final EpayBench bench = new EpayBench(Map.of("requestTimeoutMs", "300"));
    private String tradeNo;

    @BeforeEach
    void payAnOrder() throws ChannelException {
        bench.createAndOpen(EpayBench.payment("P-400", 1234));
        bench.simulator.pay("P-400");
        tradeNo = bench.simulator.trade("P-400").orElseThrow().tradeNo();
    }

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void aRefundOfThePaidAmountSucceeds() {
        RefundState state = bench.channel.refund(refund("R-1", 1234));

        assertThat(state).isEqualTo(new RefundState.Succeeded(null, Money.of(1234, "CNY"), EpayBench.NOW));
        assertThat(bench.simulator.trade("P-400").orElseThrow().refundedFen()).isEqualTo(1234);
    }

    @Test
    void partialRefundsSucceedUntilTheyWouldExceedThePaidAmount() {
        assertThat(bench.channel.refund(refund("R-1", 1000))).isInstanceOf(RefundState.Succeeded.class);

        RefundState tooMuch = bench.channel.refund(refund("R-2", 235));

        assertThat(tooMuch).isInstanceOfSatisfying(RefundState.Failed.class,
                failed -> assertThat(failed.reason()).contains("退款金额不能大于订单金额"));
        assertThat(bench.simulator.trade("P-400").orElseThrow().refundedFen()).isEqualTo(1000);
    }

    @Test
    void aRefundByPaymentNumberWorksWhenTheTradeNumberIsUnknown() {
        ChannelRefund byPaymentNo = new ChannelRefund("R-1", "P-400", "", Money.of(1, "CNY"),
                Money.of(1234, "CNY"), "customer asked", null);

        assertThat(bench.channel.refund(byPaymentNo)).isInstanceOf(RefundState.Succeeded.class);
    }

    @Test
    void aBadGatewayIsUnknownNotFailed() {
        bench.simulator.failWith(502);

        assertThat(bench.channel.refund(refund("R-1", 1234))).isInstanceOf(RefundState.Unknown.class);
        assertThat(bench.simulator.trade("P-400").orElseThrow().refundedFen()).isZero();
    }

    @Test
    void aGarbledAnswerIsUnknownNotFailed() {
        bench.simulator.answerWith(200, "<html>refund.php</html>");

        assertThat(bench.channel.refund(refund("R-1", 1234))).isInstanceOf(RefundState.Unknown.class);
    }

    @Test
    void aProviderSlowerThanTheRequestTimeoutIsUnknown() {
        bench.simulator.respondSlowly(Duration.ofSeconds(3));

        assertThat(bench.channel.refund(refund("R-1", 1234))).isInstanceOf(RefundState.Unknown.class);
    }

    @Test
    void nonCnyRefundsFailWithoutAskingTheProvider() {
        ChannelRefund dollars = new ChannelRefund("R-1", "P-400", tradeNo, Money.of(100, "USD"),
                Money.of(1234, "CNY"), "customer asked", null);

        assertThat(bench.channel.refund(dollars)).isInstanceOf(RefundState.Failed.class);
        assertThat(bench.simulator.trade("P-400").orElseThrow().refundedFen()).isZero();
    }

    @Test
    void aRefundCannotBeQueriedSoItsStateIsAlwaysUnknown() {
        assertThat(bench.channel.queryRefund(refund("R-1", 1234))).isEqualTo(
                new RefundState.Unknown("the Epay protocol has no refund query"));
    }

    private ChannelRefund refund(String refundNo, long fen) {
        return new ChannelRefund(refundNo, "P-400", tradeNo, Money.of(fen, "CNY"), Money.of(1234, "CNY"),
                "customer asked", null);
    }
}
