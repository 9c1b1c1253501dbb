package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.PaymentChannel;
import kami.payment.channel.PaymentState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A query believes only a readable, matching answer; no answer is Unknown, never Failed or Closed. */
class EpayQueryTest {

    private final EpayBench bench = new EpayBench(Map.of("requestTimeoutMs", "300"));
    private final ChannelPayment payment = EpayBench.payment("P-300", 990);

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void anOrderThePayerNeverOpenedIsNotFound() {
        assertThat(bench.channel.query(payment)).isEqualTo(new PaymentState.NotFound());
    }

    @Test
    void anOpenedUnpaidOrderIsPending() throws ChannelException {
        bench.createAndOpen(payment);

        assertThat(bench.channel.query(payment)).isEqualTo(new PaymentState.Pending());
    }

    @Test
    void aPaidOrderIsPaidWithItsAmountTradeNumberAndTheProvidersBeijingTime() throws ChannelException {
        bench.createAndOpen(payment);
        bench.simulator.pay("P-300");

        PaymentState state = bench.channel.query(payment);

        String tradeNo = bench.simulator.trade("P-300").orElseThrow().tradeNo();
        assertThat(state).isInstanceOfSatisfying(PaymentState.Paid.class, paid -> {
            assertThat(paid.channelTradeNo()).isEqualTo(tradeNo);
            assertThat(paid.amount()).isEqualTo(Money.of(990, "CNY"));
            assertThat(paid.paidAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        });
    }

    @Test
    void aBadGatewayIsUnknownUntilTheProviderAnswersAgain() throws ChannelException {
        bench.createAndOpen(payment);
        bench.simulator.failWith(502);

        assertThat(bench.channel.query(payment)).isInstanceOfSatisfying(PaymentState.Unknown.class,
                unknown -> assertThat(unknown.reason()).contains("502"));
        bench.simulator.reset();
        assertThat(bench.channel.query(payment)).isEqualTo(new PaymentState.Pending());
    }

    @Test
    void aProviderSlowerThanTheRequestTimeoutIsUnknownAndDoesNotHoldTheCaller() throws ChannelException {
        bench.createAndOpen(payment);
        bench.simulator.respondSlowly(Duration.ofSeconds(3));

        long started = System.nanoTime();
        PaymentState state = bench.channel.query(payment);

        assertThat(state).isInstanceOf(PaymentState.Unknown.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anAnswerThatIsNotJsonIsUnknown() {
        bench.simulator.answerWith(200, "<b>Warning</b>: mysqli_connect(): Too many connections");

        assertThat(bench.channel.query(payment)).isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void aByteOrderMarkBeforeTheJsonIsTolerated() {
        bench.simulator.answerWith(200, "\uFEFF{\"code\":-1,\"msg\":\"订单号不存在\"}");

        assertThat(bench.channel.query(payment)).isEqualTo(new PaymentState.NotFound());
    }

    @Test
    void anUnreachableProviderIsUnknown() {
        bench.simulator.close();

        assertThat(bench.channel.query(payment)).isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void aRefusalThatIsNotAboutTheOrderIsUnknownNotNotFound() throws ChannelException {
        bench.createAndOpen(payment);
        PaymentChannel wrongKey = bench.connect(Map.of("key", "not-the-merchant-key"));

        assertThat(wrongKey.query(payment)).isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void closingCannotCloseAtEpaySoItAnswersWhatTheQueryAnswers() throws ChannelException {
        assertThat(bench.channel.close(payment)).isEqualTo(new PaymentState.NotFound());
        bench.createAndOpen(payment);
        assertThat(bench.channel.close(payment)).isEqualTo(new PaymentState.Pending());
        bench.simulator.pay("P-300");
        assertThat(bench.channel.close(payment)).isInstanceOf(PaymentState.Paid.class);
    }
}
