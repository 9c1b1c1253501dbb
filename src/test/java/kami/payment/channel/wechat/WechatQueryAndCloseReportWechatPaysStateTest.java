package kami.payment.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.temporal.ChronoUnit;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.PaymentState.Closed;
import kami.payment.channel.PaymentState.NotFound;
import kami.payment.channel.PaymentState.Paid;
import kami.payment.channel.PaymentState.Pending;
import kami.payment.channel.PaymentState.Unknown;
import kami.payment.channel.wechat.WechatPaySimulator.Trade;
import kami.platform.Money;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WechatQueryAndCloseReportWechatPaysStateTest {

    private static WechatFixture wechat;

    @BeforeAll
    static void start() {
        wechat = new WechatFixture();
    }

    @AfterAll
    static void stop() {
        wechat.close();
    }

    @BeforeEach
    void reset() {
        wechat.reset();
    }

    @Test
    void anUnpaidOrderIsPending() throws Exception {
        ChannelPayment payment = wechat.created(2500);

        assertThat(wechat.channel.query(payment)).isEqualTo(new Pending());
    }

    @Test
    void aPaidOrderIsPaidWithTheTransactionIdAmountAndTime() throws Exception {
        ChannelPayment payment = wechat.paid(2500);

        Trade trade = wechat.simulator.trade(payment.paymentNo()).orElseThrow();
        assertThat(wechat.channel.query(payment)).isEqualTo(new Paid(trade.transactionId(), Money.of(2500, "CNY"),
                trade.successTime().truncatedTo(ChronoUnit.SECONDS)));
    }

    @Test
    void anOrderWechatPayNeverSawIsNotFound() {
        assertThat(wechat.channel.query(wechat.newPayment(2500))).isEqualTo(new NotFound());
    }

    @Test
    void closingAnUnpaidOrderClosesItAtWechatPay() throws Exception {
        ChannelPayment payment = wechat.created(2500);

        assertThat(wechat.channel.close(payment)).isEqualTo(new Closed("CLOSED"));
        assertThat(wechat.simulator.trade(payment.paymentNo()).orElseThrow().state()).isEqualTo("CLOSED");
        assertThat(wechat.channel.query(payment)).isEqualTo(new Closed("CLOSED"));
    }

    @Test
    void closingAPaidOrderReportsItPaid() throws Exception {
        ChannelPayment payment = wechat.paid(2500);

        assertThat(wechat.channel.close(payment)).isInstanceOf(Paid.class);
    }

    @Test
    void closingAnOrderWechatPayNeverSawReportsItNotFound() {
        assertThat(wechat.channel.close(wechat.newPayment(2500))).isEqualTo(new NotFound());
    }

    @Test
    void aCloseThatDidNotGetThroughIsUnknown() throws Exception {
        ChannelPayment payment = wechat.created(2500);
        wechat.simulator.failWith(500);

        assertThat(wechat.channel.close(payment)).isInstanceOf(Unknown.class);
        wechat.simulator.failWith(0);
        assertThat(wechat.channel.query(payment)).isEqualTo(new Pending());
    }

    @Test
    void aRefundedOrderStillReadsPaid() throws Exception {
        ChannelPayment payment = wechat.paid(2500);
        wechat.channel.refund(wechat.refundOf(payment, 2500));

        assertThat(wechat.simulator.trade(payment.paymentNo()).orElseThrow().state()).isEqualTo("REFUND");
        assertThat(wechat.channel.query(payment)).isInstanceOf(Paid.class);
    }

    @Test
    void anAnswerAboutAnotherMerchantIsUnknownEvenWhenItSaysPaid() throws Exception {
        ChannelPayment payment = wechat.paid(2500);
        wechat.simulator.answerAsAnotherMerchant(true);

        assertThat(wechat.channel.query(payment)).isInstanceOf(Unknown.class);
    }
}
