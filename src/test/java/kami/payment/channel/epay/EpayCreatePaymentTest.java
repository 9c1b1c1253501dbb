package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.CreatedPayment;
import kami.payment.channel.PaymentChannel;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A payment is a signed page jump to submit.php; the strict simulator creates the order only if it is genuine. */
class EpayCreatePaymentTest {

    private final EpayBench bench = new EpayBench();

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void openingThePayUrlCreatesTheOrderAtTheProvider() throws ChannelException {
        bench.createAndOpen(EpayBench.payment("P-100", 1234));

        EpaySimulator.Trade trade = bench.simulator.trade("P-100").orElseThrow();
        assertThat(trade.moneyFen()).isEqualTo(1234);
        assertThat(trade.type()).isEqualTo("alipay");
        assertThat(trade.name()).isEqualTo("Steam key");
        assertThat(trade.notifyUrl()).isEqualTo(bench.notifyUrl().toString());
        assertThat(trade.returnUrl()).isEqualTo("https://shop.example/orders/P-100");
        assertThat(trade.paid()).isFalse();
    }

    @Test
    void aPayUrlSignedWithTheWrongKeyIsRefusedAndCreatesNothing() throws ChannelException {
        PaymentChannel wrongKey = bench.connect(Map.of("key", "not-the-merchant-key"));

        CreatedPayment created = wrongKey.create(EpayBench.payment("P-101", 1234));

        assertThat(bench.open(created).statusCode()).isEqualTo(400);
        assertThat(bench.simulator.trade("P-101")).isEmpty();
    }

    @Test
    void aPayUrlWhoseAmountWasEditedIsRefused() throws ChannelException {
        CreatedPayment created = bench.channel.create(EpayBench.payment("P-102", 1234));

        CreatedPayment edited = new CreatedPayment(created.payUrl().replace("money=12.34", "money=0.01"));

        assertThat(edited.payUrl()).isNotEqualTo(created.payUrl());
        assertThat(bench.open(edited).statusCode()).isEqualTo(400);
        assertThat(bench.simulator.trade("P-102")).isEmpty();
    }

    @Test
    void theSignatureCoversRawValuesWhileTheUrlCarriesThemEncoded() throws ChannelException {
        ChannelPayment payment = new ChannelPayment("P-103", "epay.wxpay", Money.of(1, "CNY"), "充值卡 & key=1",
                "https://shop.example/return?order=P-103&lang=zh", EpayBench.NOW, null);

        bench.createAndOpen(payment);

        EpaySimulator.Trade trade = bench.simulator.trade("P-103").orElseThrow();
        assertThat(trade.name()).isEqualTo("充值卡 & key=1");
        assertThat(trade.type()).isEqualTo("wxpay");
        assertThat(trade.moneyFen()).isEqualTo(1);
    }

    @Test
    void thePayUrlNamesTheProtocolTypeTheAmountInYuanAndMd5() throws ChannelException {
        ChannelPayment payment = new ChannelPayment("P-104", "epay.qqpay", Money.of(10000, "CNY"), "key",
                "https://shop.example/r", EpayBench.NOW, null);

        URI payUrl = URI.create(bench.channel.create(payment).payUrl());

        assertThat(payUrl.getPath()).isEqualTo("/submit.php");
        assertThat(payUrl.getQuery()).contains("type=qqpay", "money=100.00", "out_trade_no=P-104",
                "pid=" + bench.simulator.pid(), "sign_type=MD5").doesNotContain(bench.simulator.key());
    }

    @Test
    void nonCnyAmountsAreRefusedBeforeAnythingIsSent() {
        ChannelPayment dollars = new ChannelPayment("P-105", "epay.alipay", Money.of(100, "USD"), "key",
                "https://shop.example/r", EpayBench.NOW, null);

        assertThatThrownBy(() -> bench.channel.create(dollars)).isInstanceOf(ChannelException.class)
                .hasMessageContaining("CNY")
                .satisfies(e -> assertThat(((ChannelException) e).outcomeUnknown()).isFalse());
    }

    @Test
    void methodsOfOtherChannelsAndZeroAmountsAreRefused() {
        ChannelPayment otherMethod = new ChannelPayment("P-106", "alipay.page", Money.of(100, "CNY"), "key",
                "https://shop.example/r", EpayBench.NOW, null);
        ChannelPayment zero = EpayBench.payment("P-107", 0);

        assertThatThrownBy(() -> bench.channel.create(otherMethod)).isInstanceOf(ChannelException.class);
        assertThatThrownBy(() -> bench.channel.create(zero)).isInstanceOf(ChannelException.class);
    }
}
