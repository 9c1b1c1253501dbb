package kami.payment.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.channel.NotifyVerdict.Unverified;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.PaymentState.Paid;
import kami.payment.channel.wechat.WechatPaySimulator.Delivery;
import kami.payment.channel.wechat.WechatPaySimulator.NotifyFault;
import kami.payment.channel.wechat.WechatPaySimulator.Trade;
import kami.platform.Money;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WechatNotifiesAreBelievedOnlyWhenAuthenticTest {

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
    void aPaidNotifyVerifiesAsPaidWithTheAmountAndIsAcknowledgedWith204() throws Exception {
        ChannelPayment payment = wechat.created(2500);

        Delivery delivery = wechat.simulator.pay(payment.paymentNo());

        Trade trade = wechat.simulator.trade(payment.paymentNo()).orElseThrow();
        assertThat(delivery).isEqualTo(new Delivery(204, ""));
        assertThat(wechat.receiver.lastVerdict()).isEqualTo(new VerifiedPayment(payment.paymentNo(),
                new Paid(trade.transactionId(), Money.of(2500, "CNY"),
                        trade.successTime().truncatedTo(ChronoUnit.SECONDS))));
    }

    @ParameterizedTest
    @CsvSource({
        "STALE_TIMESTAMP, STALE_NOTIFY",
        "WRONG_SERIAL, UNKNOWN_SERIAL",
        "TAMPERED_BODY, INVALID_SIGNATURE",
        "TAMPERED_CIPHERTEXT, INVALID_SIGNATURE",
        "FORGED_SIGNATURE, INVALID_SIGNATURE",
        "WRONG_APIV3_KEY, INVALID_SIGNATURE",
        "OTHER_MERCHANT, WRONG_MERCHANT"})
    void aSpoiledNotifyIsRefusedSoThatWechatPaySendsItAgain(NotifyFault fault, String code) throws Exception {
        ChannelPayment payment = wechat.paid(2500);

        Delivery delivery = wechat.simulator.sendNotify(payment.paymentNo(), fault);

        assertThat(wechat.receiver.lastVerdict()).isInstanceOfSatisfying(Unverified.class,
                unverified -> assertThat(unverified.code()).isEqualTo(code));
        assertThat(delivery.status()).isEqualTo(500);
        assertThat(delivery.body()).isEqualTo("{\"code\":\"FAIL\",\"message\":\"" + code + "\"}");
    }

    @ParameterizedTest
    @CsvSource({"TAMPERED_BODY, true", "OTHER_MERCHANT, true", "TAMPERED_CIPHERTEXT, false", "WRONG_APIV3_KEY, false"})
    void whatDecryptsIsPassedOnAsTheClaimedPaymentNumberForTheGatewayToQuery(NotifyFault fault, boolean decrypts)
            throws Exception {
        ChannelPayment payment = wechat.paid(2500);

        wechat.simulator.sendNotify(payment.paymentNo(), fault);

        Unverified unverified = (Unverified) wechat.receiver.lastVerdict();
        assertThat(unverified.claimedPaymentNo()).isEqualTo(decrypts ? payment.paymentNo() : null);
    }

    @Test
    void anAuthenticNotifyReplayedAfterFiveMinutesIsStale() throws Exception {
        wechat.paid(2500);
        InboundNotify original = wechat.receiver.lastNotify();

        InboundNotify replayed = new InboundNotify(original.headers(), original.body(),
                original.receivedAt().plus(Duration.ofMinutes(6)));

        assertThat(((Unverified) wechat.channel.verify(replayed)).code()).isEqualTo("STALE_NOTIFY");
    }

    @Test
    void aNotifyWithoutSignatureHeadersIsInvalidAndClaimsNothing() {
        InboundNotify bare = new InboundNotify(Map.of("Content-Type", "application/json"), "{\"id\":\"1\"}",
                Instant.now());

        assertThat(wechat.channel.verify(bare)).isEqualTo(new Unverified("INVALID_SIGNATURE",
                "Wechatpay-* signature headers missing", null));
    }

    @Test
    void repliesAreTheOnesWechatPayDocuments() {
        assertThat(wechat.channel.acknowledge().status()).isEqualTo(204);
        assertThat(wechat.channel.acknowledge().body()).isEmpty();
        assertThat(wechat.channel.refuse("busy \"now\"")).isEqualTo(new NotifyReply(500, "application/json",
                "{\"code\":\"FAIL\",\"message\":\"busy \\\"now\\\"\"}"));
    }
}
