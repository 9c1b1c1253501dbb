package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import kami.payment.channel.ChannelException;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.NotifyVerdict.Unverified;
import kami.payment.channel.NotifyVerdict.VerifiedPayment;
import kami.payment.channel.PaymentState;
import kami.platform.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only a notify signed with this account's key and naming its merchant id is verified. */
class EpayNotifyVerificationTest {

    private final EpayBench bench = new EpayBench();
    private EpaySimulator.Notified notified;

    @BeforeEach
    void payAnOrder() throws ChannelException {
        bench.createAndOpen(EpayBench.payment("P-200", 1234));
        notified = bench.simulator.pay("P-200");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void aPaidNotifyPostedByTheProviderIsVerifiedAsPaidAndAcknowledged() {
        String tradeNo = bench.simulator.trade("P-200").orElseThrow().tradeNo();

        assertThat(notified.status()).isEqualTo(200);
        assertThat(notified.responseBody()).isEqualTo("success");
        assertThat(bench.verdicts).containsExactly(new VerifiedPayment("P-200",
                new PaymentState.Paid(tradeNo, Money.of(1234, "CNY"), EpayBench.NOW)));
    }

    @Test
    void aPaidNotifySentAsGetIsVerifiedToo() {
        EpaySimulator.Notified again = bench.simulator.pay("P-200", EpaySimulator.NotifyMethod.GET);

        assertThat(again.responseBody()).isEqualTo("success");
        assertThat(bench.verdicts).hasSize(2).allMatch(verdict -> verdict instanceof VerifiedPayment paid
                && paid.state() instanceof PaymentState.Paid);
    }

    @Test
    void aTamperedAmountBreaksTheSignature() {
        assertThat(rejection(with("money", "12340.00"))).isEqualTo("INVALID_SIGNATURE");
    }

    @Test
    void aForgedOrMissingSignatureIsInvalid() {
        assertThat(rejection(with("sign", "0123456789abcdef0123456789abcdef"))).isEqualTo("INVALID_SIGNATURE");
        assertThat(rejection(without("sign"))).isEqualTo("INVALID_SIGNATURE");
        assertThat(rejection(with("sign_type", "RSA"))).isEqualTo("INVALID_SIGNATURE");
    }

    @Test
    void aNotifyForAnotherMerchantIsWrongMerchantEvenWhenItsOwnSignatureIsRight() {
        try (EpaySimulator other = EpaySimulator.start()) {
            Map<String, String> forOther = with("pid", other.pid());
            forOther.put("sign", other.sign(forOther));

            assertThat(rejection(forOther)).isEqualTo("WRONG_MERCHANT");
        }
    }

    @Test
    void unreadableAmountsAndMissingFieldsAreMalformed() {
        assertThat(rejection(with("money", "12.345"))).isEqualTo("MALFORMED_NOTIFY");
        assertThat(rejection(with("money", "-12.34"))).isEqualTo("MALFORMED_NOTIFY");
        assertThat(rejection(without("trade_no"))).isEqualTo("MALFORMED_NOTIFY");
        NotifyVerdict garbled = bench.channel.verify(new InboundNotify(Map.of(), "pid=%zz", EpayBench.NOW));
        assertThat(garbled).isInstanceOfSatisfying(Unverified.class,
                unverified -> assertThat(unverified.code()).isEqualTo("MALFORMED_NOTIFY"));
    }

    @Test
    void anUnverifiedNotifyStillTellsWhichPaymentItClaims() {
        NotifyVerdict verdict = bench.verify(with("sign", "forged"));

        assertThat(verdict).isInstanceOfSatisfying(Unverified.class,
                unverified -> assertThat(unverified.claimedPaymentNo()).isEqualTo("P-200"));
    }

    @Test
    void aSignedStatusOtherThanTradeSuccessIsPending() {
        Map<String, String> waiting = with("trade_status", "WAIT_BUYER_PAY");
        waiting.put("sign", bench.simulator.sign(waiting));

        assertThat(bench.verify(waiting)).isEqualTo(new VerifiedPayment("P-200", new PaymentState.Pending()));
    }

    @Test
    void acknowledgingSaysSuccessAndRefusingSaysFailSoTheProviderResends() {
        assertThat(bench.channel.acknowledge()).isEqualTo(NotifyReply.text(200, "success"));
        assertThat(bench.channel.refuse("amount mismatch")).isEqualTo(NotifyReply.text(400, "fail"));
    }

    private String rejection(Map<String, String> parameters) {
        NotifyVerdict verdict = bench.verify(parameters);
        assertThat(verdict).isInstanceOf(Unverified.class);
        return ((Unverified) verdict).code();
    }

    private Map<String, String> with(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(notified.parameters());
        changed.put(name, value);
        return changed;
    }

    private Map<String, String> without(String name) {
        Map<String, String> changed = new LinkedHashMap<>(notified.parameters());
        changed.remove(name);
        return changed;
    }
}
