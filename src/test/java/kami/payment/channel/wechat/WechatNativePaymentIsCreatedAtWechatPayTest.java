package kami.payment.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.CreatedPayment;
import kami.payment.channel.PaymentChannel;
import kami.payment.channel.wechat.WechatPaySimulator.Trade;
import kami.platform.Money;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WechatNativePaymentIsCreatedAtWechatPayTest {

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
    void createReturnsTheCodeUrlOfTheTradeWechatPayStored() throws Exception {
        ChannelPayment payment = wechat.newPayment(2500);

        CreatedPayment created = wechat.channel.create(payment);

        Trade trade = wechat.simulator.trade(payment.paymentNo()).orElseThrow();
        assertThat(created.payUrl()).startsWith("weixin://wxpay/bizpayurl?pr=").isEqualTo(trade.codeUrl());
        assertThat(trade.state()).isEqualTo("NOTPAY");
        assertThat(trade.totalFen()).isEqualTo(2500);
        assertThat(trade.description()).isEqualTo(payment.subject());
        assertThat(trade.notifyUrl()).isEqualTo("http://127.0.0.1:" + wechat.receiver.url("x").getPort()
                + "/api/notify/" + WechatFixture.ACCOUNT);
        assertThat(trade.timeExpire()).isEqualTo(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+08:00'")
                .format(payment.expiresAt().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.ofHours(8))));
    }

    @Test
    void creatingTheSamePaymentAgainReturnsTheSameCodeUrl() throws Exception {
        ChannelPayment payment = wechat.newPayment(2500);

        CreatedPayment first = wechat.channel.create(payment);
        CreatedPayment again = wechat.channel.create(payment);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void aLongSubjectIsCutToWechatPaysLimitWithoutSplittingACharacter() throws Exception {
        ChannelPayment payment = wechat.newPayment(100);
        ChannelPayment longSubject = new ChannelPayment(payment.paymentNo(), payment.method(), payment.amount(),
                "密钥".repeat(50), payment.returnUrl(), payment.expiresAt(), null);

        wechat.channel.create(longSubject);

        assertThat(wechat.simulator.trade(payment.paymentNo()).orElseThrow().description())
                .isEqualTo("密钥".repeat(21));
    }

    @Test
    void onlyCnyNativePaymentsAreSentAndOthersAreCertainlyNotCreated() {
        ChannelPayment cny = wechat.newPayment(100);
        ChannelPayment usd = new ChannelPayment(cny.paymentNo(), cny.method(), Money.of(100, "USD"), cny.subject(),
                cny.returnUrl(), cny.expiresAt(), null);
        ChannelPayment jsapi = new ChannelPayment(cny.paymentNo(), "wechat.jsapi", cny.amount(), cny.subject(),
                cny.returnUrl(), cny.expiresAt(), null);

        assertThat(refusal(wechat.channel, usd).outcomeUnknown()).isFalse();
        assertThat(refusal(wechat.channel, jsapi).outcomeUnknown()).isFalse();
        assertThat(wechat.simulator.trade(cny.paymentNo())).isEmpty();
    }

    @Test
    void aRequestSignedWithAnotherMerchantKeyIsRejectedAndCertainlyNotCreated() {
        PaymentChannel impostor = wechat.connect(Map.of("privateKey", MerchantKeys.generate().privateKeyPem()));
        ChannelPayment payment = wechat.newPayment(100);

        ChannelException refused = refusal(impostor, payment);

        assertThat(refused.outcomeUnknown()).isFalse();
        assertThat(refused).hasMessageContaining("401").hasMessageContaining("SIGN_ERROR");
        assertThat(wechat.simulator.signatureRejections()).isEqualTo(1);
        assertThat(wechat.simulator.trade(payment.paymentNo())).isEmpty();
    }

    @Test
    void aBadGatewayLeavesTheOutcomeUnknown() {
        wechat.simulator.failWith(502);

        assertThat(refusal(wechat.channel, wechat.newPayment(100)).outcomeUnknown()).isTrue();
    }

    @Test
    void aSlowAnswerLeavesTheOutcomeUnknown() {
        wechat.simulator.respondSlowly(Duration.ofSeconds(3));

        assertThat(refusal(wechat.channel, wechat.newPayment(100)).outcomeUnknown()).isTrue();
    }

    @Test
    void aWronglySignedAnswerLeavesTheOutcomeUnknownThoughWechatPayCreatedTheTrade() {
        wechat.simulator.signResponsesWrongly(true);
        ChannelPayment payment = wechat.newPayment(100);

        assertThat(refusal(wechat.channel, payment).outcomeUnknown()).isTrue();
        assertThat(wechat.simulator.trade(payment.paymentNo())).isPresent();
    }

    private static ChannelException refusal(PaymentChannel channel, ChannelPayment payment) {
        return catchThrowableOfType(ChannelException.class, () -> channel.create(payment));
    }
}
