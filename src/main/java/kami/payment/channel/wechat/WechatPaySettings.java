package kami.payment.channel.wechat;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.regex.Pattern;
import kami.payment.channel.ChannelAccount;

/**
 * One account's settings, checked as they are read: every problem an operator can make is reported here, with
 * the setting's name, rather than surfacing as a signature error on the first payment.
 */
record WechatPaySettings(String mchId, String appId, String merchantSerialNumber, PrivateKey privateKey,
        String apiV3Key, String publicKeyId, PublicKey publicKey, URI baseUrl, Duration connectTimeout,
        Duration readTimeout) {

    static final URI DEFAULT_BASE_URL = URI.create("https://api.mch.weixin.qq.com");
    static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(3);
    static final Duration READ_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    static final long TIMEOUT_MS_MAX = 60_000;
    /** AES-256-GCM needs a 32-byte key; WeChat Pay's APIv3 key is 32 ASCII characters. */
    static final int API_V3_KEY_BYTES = 32;
    static final String PUBLIC_KEY_ID_PREFIX = "PUB_KEY_ID_";

    private static final Pattern MCH_ID = Pattern.compile("[0-9]{1,32}");
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern SERIAL_NUMBER = Pattern.compile("[0-9A-Fa-f]{1,64}");
    private static final Pattern PUBLIC_KEY_ID = Pattern.compile(PUBLIC_KEY_ID_PREFIX + "[A-Za-z0-9_]{1,64}");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7E]+");

    static WechatPaySettings from(ChannelAccount account) {
        return new WechatPaySettings(
                matching(account, "mchId", MCH_ID, "digits, at most 32"),
                matching(account, "appId", APP_ID, "letters and digits, at most 32 (e.g. wx…)"),
                matching(account, "merchantSerialNumber", SERIAL_NUMBER, "the hex serial of the merchant API "
                        + "certificate"),
                WechatKeys.privateKey("privateKey", account.require("privateKey")),
                apiV3Key(account),
                matching(account, "publicKeyId", PUBLIC_KEY_ID, "PUB_KEY_ID_ followed by the id shown with the "
                        + "WeChat Pay public key"),
                WechatKeys.publicKey("publicKey", account.require("publicKey")),
                baseUrl(account),
                timeout(account, "connectTimeoutMs", CONNECT_TIMEOUT_DEFAULT),
                timeout(account, "readTimeoutMs", READ_TIMEOUT_DEFAULT));
    }

    boolean usesDefaultBaseUrl() {
        return DEFAULT_BASE_URL.equals(baseUrl);
    }

    /** Keeps the private key and the APIv3 key out of logs and exception messages. */
    @Override
    public String toString() {
        return "WechatPaySettings[mchId=" + mchId + ", appId=" + appId + ", merchantSerialNumber="
                + merchantSerialNumber + ", publicKeyId=" + publicKeyId + ", baseUrl=" + baseUrl + "]";
    }

    private static String matching(ChannelAccount account, String setting, Pattern pattern, String expected) {
        String value = account.require(setting).strip();
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("setting '" + setting + "' of channel " + account.name()
                    + " must be " + expected);
        }
        return value;
    }

    private static String apiV3Key(ChannelAccount account) {
        String key = account.require("apiV3Key");
        if (key.getBytes(StandardCharsets.UTF_8).length != API_V3_KEY_BYTES
                || !PRINTABLE_ASCII.matcher(key).matches()) {
            throw new IllegalArgumentException("setting 'apiV3Key' of channel " + account.name() + " must be the "
                    + API_V3_KEY_BYTES + "-character APIv3 key set in the merchant platform");
        }
        return key;
    }

    private static URI baseUrl(ChannelAccount account) {
        String text = account.optional("baseUrl").map(String::strip).orElse(null);
        if (text == null) {
            return DEFAULT_BASE_URL;
        }
        URI url;
        try {
            url = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("setting 'baseUrl' of channel " + account.name() + " is not a URL");
        }
        boolean https = "https".equals(url.getScheme());
        boolean http = "http".equals(url.getScheme());
        if ((!https && !http) || url.getHost() == null || url.getRawUserInfo() != null
                || !(url.getRawPath() == null || url.getRawPath().isEmpty()) || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            throw new IllegalArgumentException("setting 'baseUrl' of channel " + account.name() + " must be "
                    + "scheme, host and port only, e.g. " + DEFAULT_BASE_URL);
        }
        // Responses are signed, but nothing else should talk to WeChat Pay in the clear; plain HTTP is for
        // a simulator on this machine.
        if (http && !isLoopback(url.getHost())) {
            throw new IllegalArgumentException("setting 'baseUrl' of channel " + account.name() + " may use http "
                    + "only for a loopback address");
        }
        return url;
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static Duration timeout(ChannelAccount account, String setting, Duration fallback) {
        String text = account.optional(setting).map(String::strip).orElse(null);
        if (text == null) {
            return fallback;
        }
        long millis;
        try {
            millis = Long.parseLong(text);
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 1 || millis > TIMEOUT_MS_MAX) {
            throw new IllegalArgumentException("setting '" + setting + "' of channel " + account.name()
                    + " must be milliseconds between 1 and " + TIMEOUT_MS_MAX);
        }
        return Duration.ofMillis(millis);
    }
}
