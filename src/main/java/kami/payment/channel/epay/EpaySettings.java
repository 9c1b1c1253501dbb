package kami.payment.channel.epay;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Pattern;
import kami.payment.channel.ChannelAccount;

/**
 * One Epay account's settings, checked once when the account is connected so that a typo shows up as an
 * operator error instead of as failing payments.
 */
record EpaySettings(String accountName, URI gatewayUrl, String pid, String key, URI notifyUrl,
        Duration connectTimeout, Duration requestTimeout, ZoneId timeZone) {

    static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(5);
    static final long TIMEOUT_MS_MAX = 60_000;

    /** Epay providers run on Beijing time and report order times as local wall-clock times without a zone. */
    static final ZoneId TIME_ZONE_DEFAULT = ZoneId.of("Asia/Shanghai");

    /** The protocol's merchant id is an integer column at the provider. */
    private static final Pattern PID = Pattern.compile("[0-9]{1,20}");
    private static final Pattern KEY = Pattern.compile("\\S{1,256}");

    static EpaySettings from(ChannelAccount account) {
        String name = account.name();
        URI gatewayUrl = gatewayUrl(name, account.require("gatewayUrl"));
        String pid = account.require("pid").trim();
        if (!PID.matcher(pid).matches()) {
            throw invalid(name, "pid", "is the numeric merchant id the provider shows, not '" + pid + "'");
        }
        String key = account.require("key");
        if (!KEY.matcher(key).matches()) {
            throw invalid(name, "key", "must be the merchant key without spaces or line breaks");
        }
        Duration connectTimeout = timeout(account, "connectTimeoutMs", CONNECT_TIMEOUT_DEFAULT);
        Duration requestTimeout = timeout(account, "requestTimeoutMs", REQUEST_TIMEOUT_DEFAULT);
        ZoneId timeZone = account.optional("timeZone").map(zone -> zone(name, zone)).orElse(TIME_ZONE_DEFAULT);
        return new EpaySettings(name, gatewayUrl, pid, key, account.notifyUrl(), connectTimeout, requestTimeout,
                timeZone);
    }

    /** The address of one of the provider's scripts, such as {@code submit.php}. */
    String endpoint(String script) {
        return gatewayUrl + script;
    }

    /** The key is a secret; it stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "EpaySettings[account=" + accountName + ", gatewayUrl=" + gatewayUrl + ", pid=" + pid + "]";
    }

    private static URI gatewayUrl(String name, String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw invalid(name, "gatewayUrl", "is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw invalid(name, "gatewayUrl", "must be an http(s) URL with a host, such as https://pay.example.com/");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(name, "gatewayUrl", "must not have a query or fragment");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (path.endsWith(".php")) {
            throw invalid(name, "gatewayUrl", "is the provider's base URL, without submit.php or api.php");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
    }

    private static Duration timeout(ChannelAccount account, String setting, Duration fallback) {
        String raw = account.optional(setting).orElse(null);
        if (raw == null) {
            return fallback;
        }
        long millis;
        try {
            millis = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(account.name(), setting, "must be a whole number of milliseconds");
        }
        if (millis < 1 || millis > TIMEOUT_MS_MAX) {
            throw invalid(account.name(), setting, "must be between 1 and " + TIMEOUT_MS_MAX + " ms");
        }
        return Duration.ofMillis(millis);
    }

    private static ZoneId zone(String name, String raw) {
        try {
            return ZoneId.of(raw.trim());
        } catch (DateTimeException e) {
            throw invalid(name, "timeZone", "is not a time zone id such as Asia/Shanghai");
        }
    }

    private static IllegalArgumentException invalid(String account, String setting, String problem) {
        return new IllegalArgumentException("channel " + account + ": the setting '" + setting + "' " + problem);
    }
}
