package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.PaymentState;
import kami.platform.Money;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** An unsigned query answer counts only when it proves what it says; ambiguity is Unknown. */
class EpayOrderAnswerTest {

    private static final EpaySettings SETTINGS = EpaySettings.from(new ChannelAccount("epay-main", "epay",
            Map.of("gatewayUrl", "https://pay.example.com/", "pid", "1001", "key", "k3y"),
            URI.create("https://shop.example/api/notify/epay-main")));

    private static PaymentState read(String json) {
        return EpayOrderAnswer.read(JsonMapper.shared().readTree(json), EpayBench.payment("P-1", 100), SETTINGS,
                endTime -> EpayBench.NOW);
    }

    @Test
    void aPaidAnswerWithNumbersWhereStringsWereExpectedIsStillPaid() {
        assertThat(read("""
                {"code":1,"trade_no":"T9","out_trade_no":"P-1","pid":1001,"money":1.00,"status":1}"""))
                .isEqualTo(new PaymentState.Paid("T9", Money.of(100, "CNY"), EpayBench.NOW));
        assertThat(read("""
                {"code":"1","trade_no":"T9","out_trade_no":"P-1","pid":"1001","money":"1.00","status":"0"}"""))
                .isEqualTo(new PaymentState.Pending());
    }

    @Test
    void anAnswerAboutAnotherOrderOrMerchantIsUnknown() {
        assertThat(read("""
                {"code":1,"trade_no":"T9","out_trade_no":"P-2","pid":1001,"money":"1.00","status":1}"""))
                .isInstanceOf(PaymentState.Unknown.class);
        assertThat(read("""
                {"code":1,"trade_no":"T9","out_trade_no":"P-1","pid":1002,"money":"1.00","status":1}"""))
                .isInstanceOf(PaymentState.Unknown.class);
        assertThat(read("""
                {"code":1,"trade_no":"T9","out_trade_no":"P-1","money":"1.00","status":1}"""))
                .isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void statusesKamiDoesNotKnowAndUnreadableMoneyAreUnknown() {
        assertThat(read("""
                {"code":1,"trade_no":"T9","out_trade_no":"P-1","pid":1001,"money":"1.00","status":2}"""))
                .isInstanceOf(PaymentState.Unknown.class);
        assertThat(read("""
                {"code":1,"trade_no":"T9","out_trade_no":"P-1","pid":1001,"money":"1.001","status":1}"""))
                .isInstanceOf(PaymentState.Unknown.class);
    }

    @Test
    void onlyARefusalSayingTheOrderDoesNotExistIsNotFound() {
        assertThat(read("{\"code\":-1,\"msg\":\"订单号不存在\"}")).isEqualTo(new PaymentState.NotFound());
        assertThat(read("{\"code\":-1,\"msg\":\"Order does not exist\"}")).isEqualTo(new PaymentState.NotFound());
        assertThat(read("{\"code\":-1,\"msg\":\"商户不存在\"}")).isInstanceOf(PaymentState.Unknown.class);
        assertThat(read("{\"code\":-1,\"msg\":\"商户密钥错误\"}")).isInstanceOf(PaymentState.Unknown.class);
        assertThat(read("{\"code\":-1,\"msg\":\"订单不存在或已完成\"}")).isInstanceOf(PaymentState.Unknown.class);
        assertThat(read("{\"code\":-1}")).isInstanceOf(PaymentState.Unknown.class);
    }
}
