package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.NotifyVerdict.Unverified;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A notify is believed only when Alipay's key signed every field of it and it names this application (and,
 * when configured, this seller); what it says about the payment is never read before that.
 */
class AlipayNotifyCountsOnlyWhenAlipaySignedItForThisAppTest {

    private final AlipayTestbed testbed = new AlipayTestbed();
    private ChannelPayment payment;
    private Map<String, String> paidNotify;

    @BeforeEach
    void payOnce() throws Exception {
        payment = testbed.paid(AlipayTestbed.payment(990));
        paidNotify = new InboundNotify(Map.of(), testbed.alipay.lastNotifyBody(), Instant.now()).form();
    }

    @AfterEach
    void close() {
        testbed.close();
    }

    @Test
    void theUntouchedNotifyIsVerified() {
        assertThat(testbed.verify(AlipaySimulator.form(paidNotify))).isInstanceOf(NotifyVerdict.VerifiedPayment.class);
    }

    @Test
    void aRaisedAmountBreaksTheSignature() {
        Map<String, String> tampered = new LinkedHashMap<>(paidNotify);
        tampered.put("total_amount", "0.01");

        assertRejected(testbed.verify(AlipaySimulator.form(tampered)), "INVALID_SIGNATURE");
    }

    @Test
    void aNotifySignedWithAnyOtherKeyIsRejected() {
        Map<String, String> forged = new LinkedHashMap<>(paidNotify);
        forged.put("sign", Rsa2.sign(Rsa2.content(forged, "sign", "sign_type"),
                AlipaySimulator.newAppKeys().getPrivate()));

        assertRejected(testbed.verify(AlipaySimulator.form(forged)), "INVALID_SIGNATURE");
    }

    @Test
    void anUnsignedOrRsa1NotifyIsRejected() {
        Map<String, String> unsigned = new LinkedHashMap<>(paidNotify);
        unsigned.remove("sign");
        Map<String, String> rsa1 = new LinkedHashMap<>(paidNotify);
        rsa1.put("sign_type", "RSA");

        assertRejected(testbed.verify(AlipaySimulator.form(unsigned)), "INVALID_SIGNATURE");
        assertRejected(testbed.verify(AlipaySimulator.form(rsa1)), "INVALID_SIGNATURE");
    }

    @Test
    void aGenuineNotifyForAnotherApplicationIsTheWrongMerchant() {
        Map<String, String> otherApp = new LinkedHashMap<>(paidNotify);
        otherApp.remove("sign");
        otherApp.remove("sign_type");
        otherApp.put("app_id", "2021009999999999");

        assertRejected(testbed.verify(testbed.alipay.signedForm(otherApp)), "WRONG_MERCHANT");
    }

    @Test
    void aGenuineNotifyForAnotherSellerIsTheWrongMerchant() {
        Map<String, String> otherSeller = new LinkedHashMap<>(paidNotify);
        otherSeller.remove("sign");
        otherSeller.put("seller_id", "2088000000000001");

        assertRejected(testbed.verify(testbed.alipay.signedForm(otherSeller)), "WRONG_MERCHANT");
    }

    @Test
    void aSignedAmountWithThreeDecimalsIsMalformed() {
        Map<String, String> fractional = new LinkedHashMap<>(paidNotify);
        fractional.remove("sign");
        fractional.put("total_amount", "9.900");

        assertRejected(testbed.verify(testbed.alipay.signedForm(fractional)), "MALFORMED_NOTIFY");
    }

    @Test
    void aBodyThatIsNoFormIsMalformed() {
        assertThat(testbed.verify("out_trade_no=%zz")).isInstanceOfSatisfying(Unverified.class,
                unverified -> assertThat(unverified.code()).isEqualTo("MALFORMED_NOTIFY"));
        assertThat(testbed.verify("")).isInstanceOfSatisfying(Unverified.class,
                unverified -> assertThat(unverified.code()).isEqualTo("MALFORMED_NOTIFY"));
    }

    @Test
    void aForgedNotifyPostedToKamiIsRefusedSoAlipayWouldRetry() throws Exception {
        Map<String, String> tampered = new LinkedHashMap<>(paidNotify);
        tampered.put("total_amount", "0.01");
        String reply = testbed.postNotify(AlipaySimulator.form(tampered));

        assertThat(reply).isNotEqualTo("success");
        assertRejected(testbed.lastVerdict(), "INVALID_SIGNATURE");
    }

    private void assertRejected(NotifyVerdict verdict, String code) {
        assertThat(verdict).isInstanceOfSatisfying(Unverified.class, unverified -> {
            assertThat(unverified.code()).isEqualTo(code);
            assertThat(unverified.claimedPaymentNo()).isEqualTo(payment.paymentNo());
        });
    }
}
