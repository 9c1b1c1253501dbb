package kami.payment.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A timeout, a 5xx, a 429 or an answer not signed by WeChat Pay proves nothing: it is Unknown, never Paid or
 * Failed.
 */
class WechatUnprovableAnswersAreUnknownTest {

    enum Fault {
        WRONG_SIGNATURE("signature does not verify", simulator -> simulator.signResponsesWrongly(true)),
        NO_SIGNATURE("without the Wechatpay-", simulator -> simulator.omitResponseSignatures(true)),
        BAD_GATEWAY_PAGE("unreadable response", simulator -> simulator.failWith(502)),
        SYSTEM_ERROR("HTTP 500 SYSTEM_ERROR", simulator -> simulator.failWith(500)),
        FREQUENCY_LIMITED("HTTP 429 FREQUENCY_LIMITED", simulator -> simulator.failWith(429)),
        SLOW("no answer", simulator -> simulator.respondSlowly(Duration.ofSeconds(3)));

        private final String reason;
        private final Consumer<WechatPaySimulator> switchOn;

        Fault(String reason, Consumer<WechatPaySimulator> switchOn) {
            this.reason = reason;
            this.switchOn = switchOn;
        }
    }

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

    @ParameterizedTest
    @EnumSource(Fault.class)
    void queryOfAPaidOrderIsUnknownNotPaid(Fault fault) throws Exception {
        ChannelPayment payment = wechat.paid(2500);
        fault.switchOn.accept(wechat.simulator);

        assertThat(wechat.channel.query(payment)).isInstanceOfSatisfying(PaymentState.Unknown.class,
                unknown -> assertThat(unknown.reason()).contains(fault.reason));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void closeIsUnknown(Fault fault) throws Exception {
        ChannelPayment payment = wechat.created(2500);
        fault.switchOn.accept(wechat.simulator);

        assertThat(wechat.channel.close(payment)).isInstanceOfSatisfying(PaymentState.Unknown.class,
                unknown -> assertThat(unknown.reason()).contains(fault.reason));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void refundIsUnknownNotFailed(Fault fault) throws Exception {
        ChannelRefund refund = wechat.refundOf(wechat.paid(2500), 1000);
        fault.switchOn.accept(wechat.simulator);

        assertThat(wechat.channel.refund(refund)).isInstanceOfSatisfying(RefundState.Unknown.class,
                unknown -> assertThat(unknown.reason()).contains(fault.reason));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void refundQueryIsUnknownNotFailed(Fault fault) throws Exception {
        ChannelRefund refund = wechat.refundOf(wechat.paid(2500), 1000);
        wechat.channel.refund(refund);
        fault.switchOn.accept(wechat.simulator);

        assertThat(wechat.channel.queryRefund(refund)).isInstanceOfSatisfying(RefundState.Unknown.class,
                unknown -> assertThat(unknown.reason()).contains(fault.reason));
    }
}
