package kami.payment.channel.wechat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A merchant's API key pair and certificate serial, as a merchant gets them from WeChat Pay (apiclient_key.pem and
 * the serial of apiclient_cert.pem). The simulator verifies requests with the public half.
 */
public record MerchantKeys(KeyPair keyPair, String serialNumber) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static MerchantKeys generate() {
        byte[] serial = new byte[20];
        RANDOM.nextBytes(serial);
        return new MerchantKeys(rsa2048(), HexFormat.of().formatHex(serial).toUpperCase(Locale.ROOT));
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** PKCS#8 PEM, the form of apiclient_key.pem. */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
    }

    static KeyPair rsa2048() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
