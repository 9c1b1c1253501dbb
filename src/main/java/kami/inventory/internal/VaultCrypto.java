package kami.inventory.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.prf.Prf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import kami.platform.Secrets;
import org.springframework.stereotype.Component;

/**
 * Keys are sealed with AES-256-GCM bound to their product (associated data), and found again through an
 * HMAC-SHA256 blind index, so the database never holds a key in clear.
 */
@Component
class VaultCrypto {

    private static final int BLIND_INDEX_BYTES = 32;

    private final Secrets secrets;
    private volatile Aead aead;
    private volatile Prf index;

    VaultCrypto(Secrets secrets) {
        this.secrets = secrets;
    }

    byte[] seal(long productId, String key) {
        try {
            return aead().encrypt(key.getBytes(StandardCharsets.UTF_8), associatedData(productId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a key for product " + productId, e);
        }
    }

    String open(long productId, byte[] ciphertext) {
        try {
            return new String(aead().decrypt(ciphertext, associatedData(productId)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a key of product " + productId + " failed authentication", e);
        }
    }

    byte[] blindIndex(long productId, String key) {
        try {
            return index().compute(associated(productId, key), BLIND_INDEX_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not index a key for product " + productId, e);
        }
    }

    private Aead aead() {
        Aead current = aead;
        if (current == null) {
            current = aead = secrets.aead("vault-key");
        }
        return current;
    }

    private Prf index() {
        Prf current = index;
        if (current == null) {
            current = index = secrets.prf("vault-index");
        }
        return current;
    }

    private static byte[] associatedData(long productId) {
        return ("vault-key:" + productId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] associated(long productId, String key) {
        return (productId + "\n" + key).getBytes(StandardCharsets.UTF_8);
    }
}
