package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.PaymentChannel;
import kami.payment.channel.PaymentState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Creating an Alipay payment signs a pay page URL; Alipay has the trade only once the payer opens it. */
class AlipayTradeExistsOnceThePayerOpensThePageTest {

    private final AlipayTestbed testbed = new AlipayTestbed();

    @AfterEach
    void close() {
        testbed.close();
    }

    @Test
    void openingThePayPageCreatesTheTradeWithTheAmountInYuan() throws Exception {
        ChannelPayment payment = AlipayTestbed.payment(990);

        String payUrl = testbed.channel().create(payment).payUrl();

        assertThat(payUrl).startsWith(testbed.alipay.gatewayUrl() + "?");
        assertThat(testbed.alipay.trade(payment.paymentNo())).as("before the payer opens it").isEmpty();
        assertThat(testbed.alipay.open(payUrl).statusCode()).isEqualTo(200);
        AlipaySimulator.TradeView trade = testbed.alipay.trade(payment.paymentNo()).orElseThrow();
        assertThat(trade.totalAmount()).isEqualTo("9.90");
        assertThat(trade.status()).isEqualTo("WAIT_BUYER_PAY");
    }

    @Test
    void oneFenIsZeroPointZeroOneYuan() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(1));

        assertThat(testbed.alipay.trade(payment.paymentNo()).orElseThrow().totalAmount()).isEqualTo("0.01");
    }

    @Test
    void theMobileMethodOpensTheWapCashier() throws Exception {
        ChannelPayment payment = testbed.opened(AlipayTestbed.payment(500, AlipayChannel.METHOD_WAP));

        assertThat(testbed.alipay.trade(payment.paymentNo())).isPresent();
    }

    @Test
    void openingThePageAgainKeepsOneTrade() throws Exception {
        ChannelPayment payment = AlipayTestbed.payment(990);
        String payUrl = testbed.channel().create(payment).payUrl();

        testbed.alipay.open(payUrl);
        String tradeNo = testbed.alipay.trade(payment.paymentNo()).orElseThrow().tradeNo();

        assertThat(testbed.alipay.open(payUrl).statusCode()).isEqualTo(200);
        assertThat(testbed.alipay.trade(payment.paymentNo()).orElseThrow().tradeNo()).isEqualTo(tradeNo);
    }

    @Test
    void requestsSignedWithAnotherPrivateKeyAreRefusedAndChangeNothing() throws Exception {
        PaymentChannel impostor = testbed.connect(
                Map.of("privateKey", Rsa2.base64(AlipaySimulator.newAppKeys().getPrivate())));
        ChannelPayment payment = AlipayTestbed.payment(990);

        HttpResponse<String> page = testbed.alipay.open(impostor.create(payment).payUrl());

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("isv.invalid-signature");
        assertThat(testbed.alipay.trade(payment.paymentNo())).isEmpty();
        assertThat(impostor.query(payment)).isInstanceOfSatisfying(PaymentState.Unknown.class,
                unknown -> assertThat(unknown.reason()).contains("isv.invalid-signature"));
    }

    @Test
    void onlyPositiveYuanAmountsGoToAlipay() {
        ChannelPayment dollars = withAmount(AlipayTestbed.payment(990), Money.of(990, "USD"));
        ChannelPayment nothing = withAmount(AlipayTestbed.payment(990), Money.of(0, "CNY"));

        assertThatThrownBy(() -> testbed.channel().create(dollars)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.outcomeUnknown()).isFalse());
        assertThatThrownBy(() -> testbed.channel().create(nothing)).isInstanceOf(ChannelException.class);
    }

    @Test
    void anExpiredPaymentIsNeverSignedAndAnUnknownMethodIsRefused() {
        ChannelPayment fresh = AlipayTestbed.payment(990);
        ChannelPayment expired = new ChannelPayment(fresh.paymentNo(), fresh.method(), fresh.amount(),
                fresh.subject(), fresh.returnUrl(), Instant.now().minus(Duration.ofSeconds(1)), null);
        ChannelPayment qr = AlipayTestbed.payment(990, "alipay.qr");

        assertThatThrownBy(() -> testbed.channel().create(expired)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.outcomeUnknown()).isFalse());
        assertThatThrownBy(() -> testbed.channel().create(qr)).hasMessageContaining("alipay.qr");
    }

    private static ChannelPayment withAmount(ChannelPayment payment, Money amount) {
        return new ChannelPayment(payment.paymentNo(), payment.method(), amount, payment.subject(),
                payment.returnUrl(), payment.expiresAt(), null);
    }
}
