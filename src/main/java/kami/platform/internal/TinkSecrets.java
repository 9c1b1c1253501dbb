package kami.platform.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfSet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kami.platform.Secrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Envelope encryption: one data keyset per purpose, stored in {@code platform_keyset} encrypted by the master
 * key, with the purpose as associated data so a keyset cannot be swapped for another one.
 */
@Component
class TinkSecrets implements Secrets {

    private final JdbcClient jdbc;
    private final MasterKey masterKey;
    private final Clock clock;
    private final Map<String, Aead> aeads = new ConcurrentHashMap<>();
    private final Map<String, Prf> prfs = new ConcurrentHashMap<>();

    TinkSecrets(JdbcClient jdbc, MasterKey masterKey, Clock clock) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    @Override
    public Aead aead(String purpose) {
        return aeads.computeIfAbsent(purpose, p -> primitive("aead:" + p, PredefinedAeadParameters.AES256_GCM,
                Aead.class));
    }

    @Override
    public Prf prf(String purpose) {
        return prfs.computeIfAbsent(purpose, p -> {
            PrfSet set = primitive("prf:" + p, PredefinedPrfParameters.HMAC_SHA256_PRF, PrfSet.class);
            try {
                return set.getPrfs().get(set.getPrimaryId());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("PRF keyset for " + p + " is unusable", e);
            }
        });
    }

    private <P> P primitive(String name, Parameters parameters, Class<P> type) {
        try {
            return loadOrCreate(name, parameters).getPrimitive(RegistryConfiguration.get(), type);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keyset " + name + " is unusable: wrong master key?", e);
        }
    }

    private KeysetHandle loadOrCreate(String name, Parameters parameters) throws GeneralSecurityException {
        byte[] associatedData = name.getBytes(StandardCharsets.UTF_8);
        String stored = find(name);
        if (stored == null) {
            KeysetHandle fresh = KeysetHandle.generateNew(parameters);
            String encrypted = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(fresh, masterKey.aead(),
                    associatedData);
            Instant now = clock.instant();
            jdbc.sql("""
                    insert into platform_keyset (name, encrypted_keyset, created_at) values (:name, :keyset, :now)
                    on conflict (name) do nothing""")
                    .param("name", name).param("keyset", encrypted).param("now", java.sql.Timestamp.from(now))
                    .update();
            // Another node may have won the race; everyone uses the stored keyset.
            stored = find(name);
        }
        return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(stored, masterKey.aead(), associatedData);
    }

    private String find(String name) {
        return jdbc.sql("select encrypted_keyset from platform_keyset where name = :name")
                .param("name", name).query(String.class).optional().orElse(null);
    }
}
