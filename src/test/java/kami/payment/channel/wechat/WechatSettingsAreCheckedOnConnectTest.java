package kami.payment.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.Map;
import kami.payment.channel.ChannelAccount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every setting an operator can get wrong is named in a clear error on connect, not on the first payment. */
class WechatSettingsAreCheckedOnConnectTest {

    private static WechatFixture wechat;

    @BeforeAll
    static void start() {
        wechat = new WechatFixture();
    }

    @AfterAll
    static void stop() {
        wechat.close();
    }

    @Test
    void theProviderOffersNativePaymentsAndNamesItsSettings() {
        assertThat(wechat.provider.type()).isEqualTo("wechat");
        assertThat(wechat.provider.methods()).containsExactly("wechat.native");
        assertThat(wechat.provider.requiredSettings()).containsExactly("mchId", "appId", "merchantSerialNumber",
                "privateKey", "apiV3Key", "publicKeyId", "publicKey");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mchId            | 19x00                                  | mchId",
        "appId            | wx-not an app id                       | appId",
        "merchantSerialNumber | not hex                            | merchantSerialNumber",
        "privateKey       | not a key                              | privateKey",
        "privateKey       | -----BEGIN RSA PRIVATE KEY-----abc     | PKCS#1",
        "apiV3Key         | too short                              | 32-character",
        "apiV3Key         | 0123456789012345678901234567890é      | 32-character",
        "publicKeyId      | 5157F09EFDC096DE15EBE81A47057A72       | PUB_KEY_ID_",
        "publicKey        | -----BEGIN CERTIFICATE-----abc         | certificate",
        "publicKey        | bm90IGEga2V5                           | publicKey",
        "baseUrl          | ftp://127.0.0.1:21                     | baseUrl",
        "baseUrl          | http://api.example.com                 | loopback",
        "baseUrl          | https://api.example.com/v3             | scheme, host and port only",
        "connectTimeoutMs | 0                                      | connectTimeoutMs",
        "readTimeoutMs    | 600000                                 | readTimeoutMs",
        "readTimeoutMs    | soon                                   | readTimeoutMs"})
    void aBadSettingIsNamedInTheError(String setting, String value, String message) {
        assertThatThrownBy(() -> wechat.connect(Map.of(setting, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .hasMessageNotContaining(wechat.simulator.apiV3Key());
    }

    @Test
    void aMissingSettingIsNamedInTheError() {
        Map<String, String> settings = new HashMap<>(wechat.simulator.settings());
        settings.remove("apiV3Key");

        assertThatThrownBy(() -> wechat.provider.connect(new ChannelAccount("wechat-test", "wechat", settings,
                wechat.receiver.url("wechat-test")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiV3Key");
    }

    @Test
    void aShortRsaKeyIsNotAWechatPayKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String shortKey = MerchantKeys.pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded());

        assertThatThrownBy(() -> wechat.connect(Map.of("privateKey", shortKey)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024-bit");
    }

    @Test
    void keysAreAcceptedAsPemOrBareBase64AndTheDefaultHostNeedsNoBaseUrl() {
        String bareKey = wechat.merchant.privateKeyPem().replaceAll("-----[A-Z ]+-----|\\s", "");
        Map<String, String> settings = new HashMap<>(wechat.simulator.settings());
        settings.put("privateKey", bareKey);
        settings.remove("baseUrl");

        WechatPaySettings read = WechatPaySettings.from(new ChannelAccount("wechat-test", "wechat", settings,
                wechat.receiver.url("wechat-test")));

        assertThat(read.usesDefaultBaseUrl()).isTrue();
        assertThat(read.privateKey()).isEqualTo(wechat.merchant.keyPair().getPrivate());
        assertThat(read.toString()).doesNotContain(wechat.simulator.apiV3Key()).doesNotContain(bareKey);
    }

    @Test
    void anAccountOfAnotherTypeIsNotConnected() {
        ChannelAccount alipay = new ChannelAccount("alipay-main", "alipay", wechat.simulator.settings(),
                wechat.receiver.url("alipay-main"));

        assertThatThrownBy(() -> wechat.provider.connect(alipay)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alipay");
    }
}
