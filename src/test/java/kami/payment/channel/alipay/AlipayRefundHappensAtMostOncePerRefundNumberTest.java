package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import kami.payment.channel.ChannelPayment;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.PaymentChannel;
import kami.payment.channel.RefundState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refunds go to Alipay with Kami's refund number as out_request_no, so a retry never refunds twice; a refusal
 * Alipay signed is Failed, anything unanswered Unknown, and a refund Alipay does not know is Unknown too.
 */
class AlipayRefundHappensAtMostOncePerRefundNumberTest {

    private final AlipayTestbed testbed = new AlipayTestbed();
    private ChannelPayment payment;

    @BeforeEach
    void pay() throws Exception {
        payment = testbed.paid(AlipayTestbed.payment(990));
    }

    @AfterEach
    void close() {
        testbed.close();
    }

    @Test
    void aPartRefundSucceedsWithItsAmount() {
        RefundState state = channel().refund(AlipayTestbed.refund("R1", payment, 300));

        assertThat(state).isInstanceOfSatisfying(RefundState.Succeeded.class,
                succeeded -> assertThat(succeeded.amount()).isEqualTo(Money.of(300, "CNY")));
        assertThat(trade().refundedAmount()).isEqualTo("3.00");
    }

    @Test
    void theSameRefundNumberTwiceRefundsOnce() {
        ChannelRefund refund = AlipayTestbed.refund("R1", payment, 300);
        channel().refund(refund);

        RefundState again = channel().refund(refund);

        assertThat(again).isInstanceOfSatisfying(RefundState.Succeeded.class,
                succeeded -> assertThat(succeeded.amount()).isEqualTo(Money.of(300, "CNY")));
        assertThat(trade().refundCount()).isEqualTo(1);
        assertThat(trade().refundedAmount()).isEqualTo("3.00");
    }

    @Test
    void refundingMoreThanWasPaidFails() {
        channel().refund(AlipayTestbed.refund("R1", payment, 900));

        RefundState state = channel().refund(AlipayTestbed.refund("R2", payment, 100));

        assertThat(state).isInstanceOfSatisfying(RefundState.Failed.class,
                failed -> assertThat(failed.reason()).contains("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"));
        assertThat(trade().refundedAmount()).isEqualTo("9.00");
    }

    @Test
    void aFinishedTradeCannotBeRefunded() {
        testbed.alipay.finish(payment.paymentNo());

        assertThat(channel().refund(AlipayTestbed.refund("R1", payment, 100)))
                .isInstanceOf(RefundState.Failed.class);
    }

    @Test
    void theRefundQueryReportsAnAcceptedRefund() {
        ChannelRefund refund = AlipayTestbed.refund("R1", payment, 450);
        channel().refund(refund);

        assertThat(channel().queryRefund(refund)).isInstanceOfSatisfying(RefundState.Succeeded.class,
                succeeded -> assertThat(succeeded.amount()).isEqualTo(Money.of(450, "CNY")));
    }

    @Test
    void aRefundAlipayNeverReceivedIsUnknownAndSendingItAgainRefundsOnce() {
        ChannelRefund refund = AlipayTestbed.refund("R1", payment, 450);
        testbed.alipay.failWith(502);

        assertThat(channel().refund(refund)).isInstanceOf(RefundState.Unknown.class);
        testbed.alipay.reset();
        assertThat(channel().queryRefund(refund)).isInstanceOfSatisfying(RefundState.Unknown.class,
                unknown -> assertThat(unknown.reason()).contains("not found"));

        assertThat(channel().refund(refund)).isInstanceOf(RefundState.Succeeded.class);
        assertThat(channel().refund(refund)).isInstanceOf(RefundState.Succeeded.class);
        assertThat(trade().refundCount()).isEqualTo(1);
    }

    @Test
    void aForgedRefundAnswerIsUnknownEvenWhenItSaysRefused() {
        testbed.alipay.forgeResponseSignatures();

        assertThat(channel().refund(AlipayTestbed.refund("R1", payment, 300))).isInstanceOf(RefundState.Unknown.class);
        assertThat(channel().refund(AlipayTestbed.refund("R2", payment, 5000))).isInstanceOf(RefundState.Unknown.class);
    }

    private PaymentChannel channel() {
        return testbed.channel();
    }

    private AlipaySimulator.TradeView trade() {
        return testbed.alipay.trade(payment.paymentNo()).orElseThrow();
    }
}
