package kami.payment.internal;

import com.google.crypto.tink.Aead;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import kami.platform.Secrets;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Channel credentials at rest: the settings of an account as one AEAD ciphertext, bound to the account name so
 * that a ciphertext copied onto another account does not decrypt.
 */
@Component
class ChannelSettingsCipher {

    private static final TypeReference<LinkedHashMap<String, String>> SETTINGS = new TypeReference<>() { };

    private final Secrets secrets;
    private final ObjectMapper json;
    private volatile Aead aead;

    ChannelSettingsCipher(Secrets secrets, ObjectMapper json) {
        this.secrets = secrets;
        this.json = json;
    }

    byte[] seal(String accountName, Map<String, String> settings) {
        try {
            return aead().encrypt(json.writeValueAsBytes(settings), accountName.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the settings of channel " + accountName, e);
        }
    }

    Map<String, String> open(String accountName, byte[] ciphertext) {
        try {
            byte[] plain = aead().decrypt(ciphertext, accountName.getBytes(StandardCharsets.UTF_8));
            return json.readValue(plain, SETTINGS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the settings of channel " + accountName + " do not decrypt", e);
        }
    }

    /** Fetched on first use: the data keys live in the database, which is migrated after beans are built. */
    private Aead aead() {
        Aead current = aead;
        if (current == null) {
            current = aead = secrets.aead("channel-settings");
        }
        return current;
    }
}
