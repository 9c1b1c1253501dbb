package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import kami.payment.channel.ChannelAccount;
import org.junit.jupiter.api.Test;

/** Connecting an Alipay account checks its settings and says what is wrong in the operator's terms. */
class AlipayProviderRefusesSettingsThatCannotWorkTest {

    private static final KeyPair APP_KEYS = AlipaySimulator.newAppKeys();
    private static final KeyPair ALIPAY_KEYS = AlipaySimulator.newAppKeys();

    private final AlipayProvider provider = new AlipayProvider(Clock.systemUTC());

    @Test
    void describesItself() {
        assertThat(provider.type()).isEqualTo("alipay");
        assertThat(provider.methods()).containsExactly("alipay.page", "alipay.wap");
        assertThat(provider.requiredSettings())
                .containsExactly("gatewayUrl", "appId", "privateKey", "alipayPublicKey");
    }

    @Test
    void validSettingsConnect() {
        assertThat(provider.connect(account(Map.of()))).isInstanceOf(AlipayChannel.class);
    }

    @Test
    void aMissingSettingIsNamed() {
        assertThatThrownBy(() -> provider.connect(account(Map.of("privateKey", " "))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'privateKey'");
    }

    @Test
    void aPrivateKeyThatIsNotPkcs8IsRefused() {
        assertThatThrownBy(() -> provider.connect(account(Map.of("privateKey", "MIIEvQIBADANBgkqhkiG9w0B"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#8");
    }

    @Test
    void anAlipayPublicKeyThatDoesNotParseIsRefused() {
        assertThatThrownBy(() -> provider.connect(account(Map.of("alipayPublicKey", "not base64!"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X.509");
    }

    @Test
    void theApplicationsOwnPublicKeyInPlaceOfAlipaysIsRefused() {
        String own = Rsa2.base64(APP_KEYS.getPublic());

        assertThatThrownBy(() -> provider.connect(account(Map.of("alipayPublicKey", own))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own public key");
    }

    @Test
    void aKeyShorterThan2048BitsIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String shortKey = Rsa2.base64(generator.generateKeyPair().getPrivate());

        assertThatThrownBy(() -> provider.connect(account(Map.of("privateKey", shortKey))))
                .hasMessageContaining("1024 bits");
    }

    @Test
    void aGatewayUrlThatIsNotHttpIsRefused() {
        assertThatThrownBy(() -> provider.connect(account(Map.of("gatewayUrl", "openapi.alipay.com"))))
                .hasMessageContaining("'gatewayUrl'");
    }

    @Test
    void timeoutsOutsideTheirLimitsAreRefused() {
        assertThatThrownBy(() -> provider.connect(account(Map.of("readTimeoutMillis", "600000"))))
                .hasMessageContaining("'readTimeoutMillis'");
    }

    @Test
    void keysPastedAsPemConnect() {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Rsa2.base64(APP_KEYS.getPrivate()).replaceAll("(.{64})", "$1\n")
                + "\n-----END PRIVATE KEY-----\n";

        assertThat(provider.connect(account(Map.of("privateKey", pem)))).isNotNull();
    }

    @Test
    void theSettingsNeverPrintThePrivateKey() {
        String privateKey = Rsa2.base64(APP_KEYS.getPrivate());

        assertThat(AlipaySettings.from(account(Map.of())).toString()).doesNotContain(privateKey.substring(0, 40));
    }

    @Test
    void loadingTheSdkLeavesTheJvmsCertificateAlgorithmConstraintsAlone() {
        String before = Security.getProperty("jdk.certpath.disabledAlgorithms");

        provider.connect(account(Map.of()));

        assertThat(before).isNotBlank();
        assertThat(Security.getProperty("jdk.certpath.disabledAlgorithms")).isEqualTo(before);
    }

    private static ChannelAccount account(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("gatewayUrl", "https://openapi.alipay.com/gateway.do",
                "appId", "2021004100000001", "privateKey", Rsa2.base64(APP_KEYS.getPrivate()),
                "alipayPublicKey", Rsa2.base64(ALIPAY_KEYS.getPublic())));
        settings.putAll(overrides);
        return new ChannelAccount("alipay-main", "alipay", settings, URI.create("https://shop.example/api/notify/a"));
    }
}
