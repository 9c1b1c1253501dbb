package kami.platform.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PrfConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import kami.platform.KamiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The key-encryption key: a Tink AEAD keyset given in {@code KAMI_MASTER_KEY} (its JSON, or that JSON in
 * base64), or else kept in {@code <data-dir>/secrets/master-keyset.json}, created on first start.
 */
@Component
class MasterKey {

    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

    private final Aead aead;

    MasterKey(KamiProperties kami, @Value("${kami.master-key:}") String supplied)
            throws GeneralSecurityException, IOException {
        AeadConfig.register();
        PrfConfig.register();
        KeysetHandle handle = StringUtils.hasText(supplied) ? parse(decode(supplied))
                : loadOrCreate(kami.dataDir().resolve("secrets").resolve("master-keyset.json"));
        this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    Aead aead() {
        return aead;
    }

    private static String decode(String supplied) {
        String trimmed = supplied.trim();
        return trimmed.startsWith("{") ? trimmed
                : new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
    }

    private static KeysetHandle parse(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    }

    private static KeysetHandle loadOrCreate(Path file) throws GeneralSecurityException, IOException {
        if (Files.exists(file)) {
            return parse(Files.readString(file));
        }
        KeysetHandle fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        SecretFiles.writeOwnerOnly(file, TinkJsonProtoKeysetFormat.serializeKeyset(fresh,
                InsecureSecretKeyAccess.get()));
        log.warn("Created a new master key in {}: back it up, without it the key vault cannot be read", file);
        return fresh;
    }
}
