package kami.payment.channel.alipay;

import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import kami.payment.channel.ChannelAccount;
import org.jspecify.annotations.Nullable;

/**
 * One Alipay account's settings, checked as they are read so that a pasted key with a typo fails when the
 * operator saves the account, not when the first payer arrives.
 *
 * @param privateKey the merchant application's private key, PKCS#8, base64 without PEM armour or line breaks
 * @param alipayPublicKey Alipay's public key for this application, X.509, base64 without armour
 * @param sellerId when set, notifies must name this seller (the merchant's 2088... partner id)
 */
record AlipaySettings(URI gatewayUrl, String appId, String privateKey, String alipayPublicKey,
        @Nullable String sellerId, Duration connectTimeout, Duration readTimeout) {

    static final String GATEWAY_URL = "gatewayUrl";
    static final String APP_ID = "appId";
    static final String PRIVATE_KEY = "privateKey";
    static final String ALIPAY_PUBLIC_KEY = "alipayPublicKey";
    static final String SELLER_ID = "sellerId";
    static final String CONNECT_TIMEOUT_MILLIS = "connectTimeoutMillis";
    static final String READ_TIMEOUT_MILLIS = "readTimeoutMillis";

    static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(3);
    static final Duration READ_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    static final Duration TIMEOUT_MIN = Duration.ofMillis(100);
    static final Duration TIMEOUT_MAX = Duration.ofSeconds(30);
    /** RSA2 is SHA256withRSA over a 2048-bit key; Alipay's key tool makes nothing shorter. */
    static final int RSA_KEY_BITS_MIN = 2048;

    static AlipaySettings from(ChannelAccount account) {
        String name = account.name();
        URI gatewayUrl = gatewayUrl(name, account.require(GATEWAY_URL));
        String privateKey = armourRemoved(account.require(PRIVATE_KEY));
        String alipayPublicKey = armourRemoved(account.require(ALIPAY_PUBLIC_KEY));
        RSAPrivateCrtKey appKey = privateKey(name, privateKey);
        RSAPublicKey alipayKey = publicKey(name, alipayPublicKey);
        if (appKey.getModulus().equals(alipayKey.getModulus())) {
            throw new IllegalArgumentException("channel " + name + ": '" + ALIPAY_PUBLIC_KEY + "' is this"
                    + " application's own public key; paste the Alipay public key (支付宝公钥) shown next to it");
        }
        return new AlipaySettings(gatewayUrl, account.require(APP_ID).trim(), privateKey, alipayPublicKey,
                account.optional(SELLER_ID).map(String::trim).orElse(null),
                timeout(account, CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_DEFAULT),
                timeout(account, READ_TIMEOUT_MILLIS, READ_TIMEOUT_DEFAULT));
    }

    private static URI gatewayUrl(String name, String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("channel " + name + ": '" + GATEWAY_URL + "' must be an http(s) URL"
                    + " such as https://openapi.alipay.com/gateway.do, not '" + value + "'");
        }
        return uri;
    }

    private static RSAPrivateCrtKey privateKey(String name, String base64) {
        RSAPrivateCrtKey key = null;
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            if (KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der))
                    instanceof RSAPrivateCrtKey parsed) {
                key = parsed;
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Reported below with what the operator can do about it.
        }
        if (key == null) {
            throw new IllegalArgumentException("channel " + name + ": '" + PRIVATE_KEY + "' is not an RSA private"
                    + " key in PKCS#8 base64 (Alipay's key tool calls it the Java application private key; convert"
                    + " a PKCS#1 key with 'openssl pkcs8 -topk8 -nocrypt')");
        }
        return longEnough(name, PRIVATE_KEY, key.getModulus(), key);
    }

    private static RSAPublicKey publicKey(String name, String base64) {
        RSAPublicKey key = null;
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            if (KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der))
                    instanceof RSAPublicKey parsed) {
                key = parsed;
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Reported below with what the operator can do about it.
        }
        if (key == null) {
            throw new IllegalArgumentException("channel " + name + ": '" + ALIPAY_PUBLIC_KEY + "' is not an RSA"
                    + " public key in X.509 base64 (the Alipay public key text from the open platform, not a"
                    + " certificate)");
        }
        return longEnough(name, ALIPAY_PUBLIC_KEY, key.getModulus(), key);
    }

    private static <K> K longEnough(String name, String setting, BigInteger modulus, K key) {
        if (modulus.bitLength() < RSA_KEY_BITS_MIN) {
            throw new IllegalArgumentException("channel " + name + ": '" + setting + "' has "
                    + modulus.bitLength() + " bits; RSA2 needs " + RSA_KEY_BITS_MIN);
        }
        return key;
    }

    /** The private key is a secret: it never reaches a log line through this record. */
    @Override
    public String toString() {
        return "AlipaySettings[gatewayUrl=" + gatewayUrl + ", appId=" + appId + ", sellerId=" + sellerId
                + ", privateKey=(secret), connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    /** Operators paste keys as PEM or wrapped text; the SDK wants the bare base64. */
    static String armourRemoved(String key) {
        return key.replaceAll("-----(BEGIN|END)[A-Z ]*-----", "").replaceAll("\\s", "");
    }

    private static Duration timeout(ChannelAccount account, String setting, Duration fallback) {
        String value = account.optional(setting).orElse(null);
        if (value == null) {
            return fallback;
        }
        Duration timeout;
        try {
            timeout = Duration.ofMillis(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            timeout = Duration.ZERO;
        }
        if (timeout.compareTo(TIMEOUT_MIN) < 0 || timeout.compareTo(TIMEOUT_MAX) > 0) {
            throw new IllegalArgumentException("channel " + account.name() + ": '" + setting + "' must be "
                    + TIMEOUT_MIN.toMillis() + " to " + TIMEOUT_MAX.toMillis() + " milliseconds, not '" + value + "'");
        }
        return timeout;
    }
}
