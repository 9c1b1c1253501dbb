package kami.payment.channel.wechat;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the RSA keys of an account from PEM or bare base64. Messages name the setting and the expected form, never
 * the key material, because they reach the operator's screen and the logs.
 */
final class WechatKeys {

    /** WeChat Pay issues 2048-bit keys; anything shorter is not one of theirs. */
    static final int RSA_KEY_BITS_MIN = 2048;

    private WechatKeys() {
    }

    static PrivateKey privateKey(String setting, String text) {
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("setting '" + setting + "' is a PKCS#1 key; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in apiclient_key.pem' (WeChat Pay's apiclient_key.pem "
                    + "already is PKCS#8)");
        }
        byte[] der = der(setting, text, "PRIVATE KEY");
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            requireLongEnough(setting, ((RSAPrivateKey) key).getModulus().bitLength());
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("setting '" + setting + "' is not an RSA private key in PKCS#8 form "
                    + "(the merchant API key, apiclient_key.pem)");
        }
    }

    static PublicKey publicKey(String setting, String text) {
        if (text.contains("BEGIN CERTIFICATE")) {
            throw new IllegalArgumentException("setting '" + setting + "' is a certificate; public-key mode needs "
                    + "the WeChat Pay public key itself (pub_key.pem from the merchant platform)");
        }
        byte[] der = der(setting, text, "PUBLIC KEY");
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            requireLongEnough(setting, ((RSAPublicKey) key).getModulus().bitLength());
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("setting '" + setting + "' is not an RSA public key "
                    + "(-----BEGIN PUBLIC KEY----- or its base64 body)");
        }
    }

    private static byte[] der(String setting, String text, String pemLabel) {
        String body = text.replace("-----BEGIN " + pemLabel + "-----", "")
                .replace("-----END " + pemLabel + "-----", "")
                .replaceAll("\\s+", "");
        if (body.contains("-----")) {
            throw new IllegalArgumentException("setting '" + setting + "' must be a PEM block labelled "
                    + pemLabel + " or its base64 body");
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting '" + setting + "' is not valid base64");
        }
    }

    private static void requireLongEnough(String setting, int bits) {
        if (bits < RSA_KEY_BITS_MIN) {
            throw new IllegalArgumentException("setting '" + setting + "' is a " + bits + "-bit RSA key; WeChat Pay "
                    + "uses " + RSA_KEY_BITS_MIN + " bits");
        }
    }
}
