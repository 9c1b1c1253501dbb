package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kami.payment.channel.ChannelPayment;
import kami.payment.channel.PaymentState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing an unpaid trade closes it at Alipay; a paid one comes back Paid, an unanswered close Unknown. */
class AlipayCloseNeverHidesAPaymentTest {

    private final AlipayTestbed testbed = new AlipayTestbed();

    @AfterEach
    void close() {
        testbed.close();
    }

    @Test
    void anOpenedUnpaidTradeIsClosedAndCanNoLongerBePaid() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));

        assertThat(testbed.channel().close(payment)).isInstanceOf(PaymentState.Closed.class);

        assertThat(testbed.alipay.trade(payment.paymentNo()).orElseThrow().status()).isEqualTo("TRADE_CLOSED");
        assertThatThrownBy(() -> testbed.alipay.pay(payment.paymentNo())).hasMessageContaining("TRADE_CLOSED");
        assertThat(testbed.channel().query(payment)).isEqualTo(new PaymentState.Closed("TRADE_CLOSED"));
    }

    @Test
    void aTradeNeverOpenedIsNotFound() {
        assertThat(testbed.channel().close(AlipayTestbed.payment(990))).isEqualTo(new PaymentState.NotFound());
    }

    @Test
    void aPaidTradeIsNotClosedButReportedPaid() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));

        PaymentState state = testbed.channel().close(payment);

        assertThat(state).isInstanceOfSatisfying(PaymentState.Paid.class,
                paid -> assertThat(paid.amount()).isEqualTo(Money.of(990, "CNY")));
        assertThat(testbed.alipay.trade(payment.paymentNo()).orElseThrow().status()).isEqualTo("TRADE_SUCCESS");
    }

    @Test
    void closingTwiceIsClosed() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));
        testbed.channel().close(payment);

        assertThat(testbed.channel().close(payment)).isEqualTo(new PaymentState.Closed("TRADE_CLOSED"));
    }

    @Test
    void aCloseWithoutAnAnswerIsUnknownAndChangesNothingWeCannotSee() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));
        testbed.alipay.failWith(502);

        assertThat(testbed.channel().close(payment)).isInstanceOf(PaymentState.Unknown.class);

        testbed.alipay.reset();
        assertThat(testbed.channel().query(payment)).isEqualTo(new PaymentState.Pending());
    }

    @Test
    void aForgedCloseAnswerIsUnknown() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));
        testbed.alipay.forgeResponseSignatures();

        assertThat(testbed.channel().close(payment)).isInstanceOf(PaymentState.Unknown.class);
    }
}
