package kami.payment.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.temporal.ChronoUnit;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.NotifyVerdict.VerifiedRefund;
import kami.payment.channel.RefundState;
import kami.payment.channel.RefundState.Failed;
import kami.payment.channel.RefundState.Processing;
import kami.payment.channel.RefundState.Succeeded;
import kami.payment.channel.RefundState.Unknown;
import kami.payment.channel.wechat.WechatPaySimulator.Delivery;
import kami.payment.channel.wechat.WechatPaySimulator.RefundRecord;
import kami.platform.Money;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WechatRefundsAreIdempotentByRefundNumberTest {

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
    void aRefundIsUnderWayUntilWechatPaySettlesIt() throws Exception {
        ChannelRefund refund = wechat.refundOf(wechat.paid(2500), 1000);

        RefundState state = wechat.channel.refund(refund);

        RefundRecord record = wechat.simulator.refund(refund.refundNo()).orElseThrow();
        assertThat(state).isEqualTo(new Processing(record.refundId()));
        assertThat(record.refundFen()).isEqualTo(1000);
        assertThat(record.notifyUrl()).isEqualTo(wechat.receiver.url(WechatFixture.ACCOUNT).toString());
        assertThat(wechat.channel.queryRefund(refund)).isEqualTo(new Processing(record.refundId()));
    }

    @Test
    void aSettledRefundIsNotifiedAndQueriedAsSucceeded() throws Exception {
        ChannelRefund refund = wechat.refundOf(wechat.paid(2500), 1000);
        wechat.channel.refund(refund);

        Delivery delivery = wechat.simulator.finishRefund(refund.refundNo(), "SUCCESS");

        RefundRecord record = wechat.simulator.refund(refund.refundNo()).orElseThrow();
        Succeeded succeeded = new Succeeded(record.refundId(), Money.of(1000, "CNY"),
                record.successTime().truncatedTo(ChronoUnit.SECONDS));
        assertThat(delivery.status()).isEqualTo(204);
        assertThat(wechat.receiver.lastVerdict()).isEqualTo(new VerifiedRefund(refund.refundNo(), succeeded));
        assertThat(wechat.channel.queryRefund(refund)).isEqualTo(succeeded);
    }

    @Test
    void anAbnormalRefundIsFailedSoTheGatewayMayRetryIt() throws Exception {
        ChannelRefund refund = wechat.refundOf(wechat.paid(2500), 1000);
        wechat.channel.refund(refund);

        wechat.simulator.finishRefund(refund.refundNo(), "ABNORMAL");

        assertThat(wechat.receiver.lastVerdict()).isEqualTo(new VerifiedRefund(refund.refundNo(),
                new Failed("ABNORMAL")));
        assertThat(wechat.channel.queryRefund(refund)).isEqualTo(new Failed("ABNORMAL"));
    }

    @Test
    void sendingTheSameRefundTwiceRefundsOnce() throws Exception {
        ChannelPayment payment = wechat.paid(2500);
        ChannelRefund refund = wechat.refundOf(payment, 2000);

        RefundState first = wechat.channel.refund(refund);
        RefundState again = wechat.channel.refund(refund);

        assertThat(again).isEqualTo(first);
        assertThat(wechat.simulator.refundsOf(payment.paymentNo())).hasSize(1);
    }

    @Test
    void refundingMoreThanWasPaidIsRefused() throws Exception {
        ChannelPayment payment = wechat.paid(2500);
        wechat.channel.refund(wechat.refundOf(payment, 2000));

        RefundState tooMuch = wechat.channel.refund(wechat.refundOf(payment, 501));

        assertThat(tooMuch).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.reason()).contains("INVALID_REQUEST"));
        assertThat(wechat.channel.refund(wechat.refundOf(payment, 500))).isInstanceOf(Processing.class);
        assertThat(wechat.simulator.refundsOf(payment.paymentNo())).extracting(RefundRecord::refundFen)
                .containsExactly(2000L, 500L);
    }

    @Test
    void aRefundWechatPayNeverReceivedIsUnknownUntilItIsSentAgain() throws Exception {
        ChannelRefund refund = wechat.refundOf(wechat.paid(2500), 1000);

        assertThat(wechat.channel.queryRefund(refund)).isInstanceOfSatisfying(Unknown.class,
                unknown -> assertThat(unknown.reason()).startsWith("REFUND_NOT_FOUND"));
        assertThat(wechat.channel.refund(refund)).isInstanceOf(Processing.class);
    }

    @Test
    void aRefundOfAnUnpaidOrderIsRefused() throws Exception {
        ChannelRefund refund = wechat.refundOf(wechat.created(2500), 1000);

        assertThat(wechat.channel.refund(refund)).isInstanceOf(Failed.class);
    }
}
