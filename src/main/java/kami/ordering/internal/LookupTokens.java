package kami.ordering.internal;

import com.google.crypto.tink.prf.Prf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import kami.platform.Secrets;
import org.springframework.stereotype.Component;

/**
 * A buyer's lookup token is a keyed hash of the order number: nothing to store, the same on every replay, and
 * impossible to derive without the key.
 */
@Component
class LookupTokens {

    private static final int TOKEN_BYTES = 16;

    private final Secrets secrets;
    private volatile Prf prf;

    LookupTokens(Secrets secrets) {
        this.secrets = secrets;
    }

    String tokenFor(String orderNo) {
        try {
            byte[] mac = prf().compute(orderNo.getBytes(StandardCharsets.UTF_8), TOKEN_BYTES);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("lookup token key is unusable", e);
        }
    }

    boolean matches(String orderNo, String token) {
        return MessageDigest.isEqual(tokenFor(orderNo).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private Prf prf() {
        Prf current = prf;
        if (current == null) {
            current = prf = secrets.prf("order-lookup-token");
        }
        return current;
    }
}
