package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.PaymentChannel;
import kami.payment.channel.PaymentState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The trade query reports what Alipay signed and nothing more: a forged, missing or unreadable answer, a
 * timeout or an HTTP error is Unknown, never Paid, Closed or NotFound.
 */
class AlipayQueryBelievesOnlySignedAnswersTest {

    private final AlipayTestbed testbed = new AlipayTestbed(Map.of("readTimeoutMillis", "500"));

    @AfterEach
    void close() {
        testbed.close();
    }

    @Test
    void aPageNeverOpenedIsNotFound() {
        assertThat(channel().query(AlipayTestbed.payment(990))).isEqualTo(new PaymentState.NotFound());
    }

    @Test
    void anOpenedUnpaidTradeIsPending() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));

        assertThat(channel().query(payment)).isEqualTo(new PaymentState.Pending());
    }

    @Test
    void aPaidTradeIsPaidWithTheNotifiedTradeNumberAndAmount() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(4200));
        PaymentState.Paid notified = (PaymentState.Paid) ((VerifiedPayment) testbed.lastVerdict()).state();

        PaymentState queried = channel().query(payment);

        assertThat(queried).isInstanceOfSatisfying(PaymentState.Paid.class, paid -> {
            assertThat(paid.channelTradeNo()).isEqualTo(notified.channelTradeNo());
            assertThat(paid.amount()).isEqualTo(Money.of(4200, "CNY"));
            assertThat(paid.paidAt()).isEqualTo(notified.paidAt());
        });
    }

    @Test
    void aTradeClosedAtAlipayIsClosed() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(990));
        testbed.alipay.expire(payment.paymentNo());

        assertThat(channel().query(payment)).isEqualTo(new PaymentState.Closed("TRADE_CLOSED"));
    }

    @Test
    void aFullyRefundedTradeStaysPaid() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        channel().refund(AlipayTestbed.refund("R-all", payment, 990));

        assertThat(channel().query(payment)).isInstanceOf(PaymentState.Paid.class);
    }

    @Test
    void aForgedAnswerSignatureIsUnknownNeverPaid() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        testbed.alipay.forgeResponseSignatures();

        assertThat(channel().query(payment)).isInstanceOf(PaymentState.Unknown.class);
        assertThat(channel().query(AlipayTestbed.payment(990))).as("forged not-found")
                .isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void anUnsignedAnswerIsUnknownEvenWhenItSaysTheTradeDoesNotExist() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        testbed.alipay.omitResponseSignatures();

        assertThat(channel().query(payment)).isInstanceOf(PaymentState.Unknown.class);
        assertThat(channel().query(AlipayTestbed.payment(990))).isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void aSlowGatewayIsUnknown() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        testbed.alipay.respondSlowly(Duration.ofMillis(1500));

        assertThat(channel().query(payment)).isInstanceOfSatisfying(PaymentState.Unknown.class,
                unknown -> assertThat(unknown.reason()).containsIgnoringCase("timed out"));
    }

    @Test
    void aBadGatewayIsUnknown() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        testbed.alipay.failWith(502);

        assertThat(channel().query(payment)).isInstanceOf(PaymentState.Unknown.class);
        testbed.alipay.reset();
        assertThat(channel().query(payment)).isInstanceOf(PaymentState.Paid.class);
    }

    @Test
    void anAnswerThatIsNoAlipayAnswerIsUnknown() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        testbed.alipay.answerUnreadably();

        assertThat(channel().query(payment)).isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void anAnswerVerifiedWithTheWrongAlipayKeyIsUnknown() throws Exception {
        ChannelPayment payment = testbed.paid(AlipayTestbed.payment(990));
        PaymentChannel misconfigured = testbed.connect(
                Map.of("alipayPublicKey", Rsa2.base64(AlipaySimulator.newAppKeys().getPublic())));

        assertThat(misconfigured.query(payment)).isInstanceOf(PaymentState.Unknown.class);
    }

    private PaymentChannel channel() {
        return testbed.channel();
    }
}
