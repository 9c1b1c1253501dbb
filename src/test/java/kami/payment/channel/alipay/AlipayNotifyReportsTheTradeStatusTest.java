package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.NotifyVerdict.VerifiedRefund;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alipay's signed notify, as posted over HTTP by the simulator, maps to one payment state: TRADE_SUCCESS and
 * TRADE_FINISHED are paid, TRADE_CLOSED is closed, and a notify that carries a refund is about that refund.
 */
class AlipayNotifyReportsTheTradeStatusTest {

    private final AlipayTestbed testbed = new AlipayTestbed();

    @AfterEach
    void close() {
        testbed.close();
    }

    @Test
    void aPaidTradeIsPaidWithItsAmountAndAlipayIsToldSuccess() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));
        Instant before = Instant.now().minusSeconds(2);

        String reply = testbed.alipay.pay(payment.paymentNo());

        assertThat(reply).isEqualTo("success");
        String tradeNo = testbed.alipay.trade(payment.paymentNo()).orElseThrow().tradeNo();
        VerifiedPayment verdict = (VerifiedPayment) testbed.lastVerdict();
        assertThat(verdict.paymentNo()).isEqualTo(payment.paymentNo());
        PaymentState.Paid paid = (PaymentState.Paid) verdict.state();
        assertThat(paid.channelTradeNo()).isEqualTo(tradeNo);
        assertThat(paid.amount()).isEqualTo(Money.of(990, "CNY"));
        // gmt_payment has whole seconds in Beijing time.
        assertThat(paid.paidAt()).isBetween(before, Instant.now().plusSeconds(1));
    }

    @Test
    void aFinishedTradeIsStillPaid() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(1250));

        assertThat(testbed.alipay.finish(payment.paymentNo())).isEqualTo("success");

        VerifiedPayment verdict = (VerifiedPayment) testbed.lastVerdict();
        assertThat(verdict.state()).isInstanceOfSatisfying(PaymentState.Paid.class,
                paid -> assertThat(paid.amount()).isEqualTo(Money.of(1250, "CNY")));
    }

    @Test
    void aTradeClosedUnpaidIsClosed() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));

        assertThat(testbed.alipay.expire(payment.paymentNo())).isEqualTo("success");

        assertThat(testbed.lastVerdict()).isEqualTo(new VerifiedPayment(payment.paymentNo(),
                new PaymentState.Closed("TRADE_CLOSED")));
    }

    @Test
    void aRefundNotifyIsAboutTheRefundNamedInOutBizNo() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        testbed.channel().refund(AlipayTestbed.refund("R1", payment, 300));

        assertThat(testbed.alipay.notifyRefund(payment.paymentNo(), "R1")).isEqualTo("success");

        VerifiedRefund verdict = (VerifiedRefund) testbed.lastVerdict();
        assertThat(verdict.refundNo()).isEqualTo("R1");
        assertThat(verdict.state()).isInstanceOfSatisfying(RefundState.Succeeded.class, succeeded -> {
            assertThat(succeeded.amount()).isEqualTo(Money.of(300, "CNY"));
            assertThat(succeeded.at()).isCloseTo(Instant.now(), within(Duration.ofSeconds(5)));
        });
    }

    @Test
    void aFullRefundClosesTheTradeButTheNotifyIsStillAboutTheRefund() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        testbed.channel().refund(AlipayTestbed.refund("R-all", payment, 990));

        testbed.alipay.notifyRefund(payment.paymentNo(), "R-all");

        assertThat(testbed.alipay.trade(payment.paymentNo()).orElseThrow().status()).isEqualTo("TRADE_CLOSED");
        assertThat(testbed.lastVerdict()).isInstanceOfSatisfying(VerifiedRefund.class,
                refund -> assertThat(refund.refundNo()).isEqualTo("R-all"));
    }

    @Test
    void theAcknowledgementIsExactlySuccessAndARefusalMakesAlipayRetry() {
        assertThat(testbed.channel().acknowledge().status()).isEqualTo(200);
        assertThat(testbed.channel().acknowledge().body()).isEqualTo("success");
        assertThat(testbed.channel().refuse("not recorded").body()).isNotEqualTo("success");
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration duration) {
        return org.assertj.core.api.Assertions.within(duration.toMillis(), java.time.temporal.ChronoUnit.MILLIS);
    }
}
