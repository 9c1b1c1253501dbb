package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signature is the protocol's: sorted raw k=v pairs without sign, sign_type or empty values, key appended. */
class EpaySignatureTest {

    /** Computed outside Kami: printf '%s' '<content>k3y' | md5sum. */
    private static final String KNOWN_SIGNATURE = "3665bf495d12a7d8111980dacc398987";

    private static Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("type", "alipay");
        parameters.put("pid", "1001");
        parameters.put("out_trade_no", "P-1");
        parameters.put("notify_url", "http://shop.example/api/notify/epay-main");
        parameters.put("return_url", "");
        parameters.put("name", "VIP 会员");
        parameters.put("money", "1.00");
        parameters.put("sign", "ignored");
        parameters.put("sign_type", "MD5");
        return parameters;
    }

    @Test
    void signsSortedRawPairsWithTheKeyAppendedDirectly() {
        assertThat(EpaySignature.content(parameters())).isEqualTo(
                "money=1.00&name=VIP 会员&notify_url=http://shop.example/api/notify/epay-main&out_trade_no=P-1"
                        + "&pid=1001&type=alipay");
        assertThat(EpaySignature.sign(parameters(), "k3y")).isEqualTo(KNOWN_SIGNATURE);
    }

    @Test
    void matchesTheKnownSignatureInEitherCase() {
        assertThat(EpaySignature.matches(parameters(), "k3y", KNOWN_SIGNATURE)).isTrue();
        assertThat(EpaySignature.matches(parameters(), "k3y", KNOWN_SIGNATURE.toUpperCase())).isTrue();
    }

    @Test
    void anotherKeyAMissingSignatureOrAChangedValueDoNotMatch() {
        Map<String, String> changed = parameters();
        changed.put("money", "1.01");

        assertThat(EpaySignature.matches(parameters(), "other", KNOWN_SIGNATURE)).isFalse();
        assertThat(EpaySignature.matches(parameters(), "k3y", null)).isFalse();
        assertThat(EpaySignature.matches(parameters(), "k3y", " ")).isFalse();
        assertThat(EpaySignature.matches(changed, "k3y", KNOWN_SIGNATURE)).isFalse();
    }
}
