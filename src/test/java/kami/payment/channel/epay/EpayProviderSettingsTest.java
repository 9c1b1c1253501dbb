package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import kami.payment.channel.ChannelAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings are checked when an account is connected, so an operator's typo fails there and says what is wrong. */
class EpayProviderSettingsTest {

    private final EpayProvider provider = new EpayProvider(EpayBench.CLOCK);

    private static ChannelAccount account(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("gatewayUrl", "https://pay.example.com/",
                "pid", "1001", "key", "k3y"));
        settings.putAll(overrides);
        settings.values().removeIf(String::isEmpty);
        return new ChannelAccount("epay-main", "epay", settings, URI.create("https://shop.example/api/notify/x"));
    }

    @Test
    void offersTheProtocolsPaymentTypesAndNeedsUrlMerchantIdAndKey() {
        assertThat(provider.type()).isEqualTo("epay");
        assertThat(provider.methods()).containsExactly("epay.alipay", "epay.wxpay", "epay.qqpay");
        assertThat(provider.requiredSettings()).containsExactly("gatewayUrl", "pid", "key");
        assertThat(provider.connect(account(Map.of()))).isInstanceOf(EpayChannel.class);
    }

    @Test
    void defaultsAreTwoSecondsToConnectFiveToAnswerAndBeijingTime() {
        EpaySettings settings = EpaySettings.from(account(Map.of()));

        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void timeoutsAndTimeZoneCanBeSet() {
        EpaySettings settings = EpaySettings.from(account(Map.of("connectTimeoutMs", "500",
                "requestTimeoutMs", "1500", "timeZone", "UTC")));

        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.timeZone()).isEqualTo(ZoneId.of("UTC"));
    }

    @ParameterizedTest
    @CsvSource({"https://pay.example.com, https://pay.example.com/",
            "https://pay.example.com/epay, https://pay.example.com/epay/",
            "http://127.0.0.1:8080/, http://127.0.0.1:8080/"})
    void theGatewayUrlIsABaseThatScriptsAreAppendedTo(String configured, String base) {
        EpaySettings settings = EpaySettings.from(account(Map.of("gatewayUrl", configured)));

        assertThat(settings.gatewayUrl()).isEqualTo(URI.create(base));
        assertThat(settings.endpoint("submit.php")).isEqualTo(base + "submit.php");
    }

    @ParameterizedTest
    @CsvSource({"gatewayUrl, ''", "gatewayUrl, not a url", "gatewayUrl, ftp://pay.example.com/",
            "gatewayUrl, /relative/", "gatewayUrl, https://pay.example.com/submit.php",
            "gatewayUrl, https://pay.example.com/?x=1", "pid, ''", "pid, abc", "pid, 10 01", "key, ''",
            "key, 'k3y with spaces'", "connectTimeoutMs, 0", "requestTimeoutMs, abc", "requestTimeoutMs, 600000",
            "timeZone, Mars/Olympus"})
    void anUnusableSettingIsRefusedWithItsName(String setting, String value) {
        assertThatThrownBy(() -> provider.connect(account(Map.of(setting, value))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(setting);
    }

    @Test
    void anAccountOfAnotherTypeIsRefused() {
        ChannelAccount alipay = new ChannelAccount("ali", "alipay", Map.of(), URI.create("https://shop.example/n"));

        assertThatThrownBy(() -> provider.connect(alipay)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyStaysOutOfTheSettingsDescription() {
        assertThat(EpaySettings.from(account(Map.of("key", "s3cr3t-key"))).toString()).doesNotContain("s3cr3t");
    }
}
