package kami.payment.channel.alipay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Alipay's RSA2, written from the protocol rather than taken from the SDK, so that the simulator checks the
 * SDK instead of agreeing with it: SHA256withRSA over UTF-8 text, base64 signatures, and for parameter sets the
 * keys sorted, empty values left out and {@code k=v} pairs joined with {@code &}.
 */
final class Rsa2 {

    static final int KEY_BITS = 2048;

    private Rsa2() {
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    static String base64(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** The text a parameter set is signed over, leaving out the named parameters. */
    static String content(Map<String, String> params, String... leftOut) {
        TreeMap<String, String> sorted = new TreeMap<>(params);
        for (String name : leftOut) {
            sorted.remove(name);
        }
        StringJoiner joined = new StringJoiner("&");
        sorted.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                joined.add(name + "=" + value);
            }
        });
        return joined.toString();
    }

    static String sign(String content, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verify(String content, String signBase64, PublicKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(signBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
