package kami.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import kami.platform.KamiProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void isCreatedOnFirstStartReadableOnlyByItsOwnerAndReusedAfterwards() throws Exception {
        MasterKey first = new MasterKey(new KamiProperties(dataDir), "");
        Path file = dataDir.resolve("secrets/master-keyset.json");

        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] sealed = first.aead().encrypt(bytes("data key"), bytes("ad"));
        MasterKey again = new MasterKey(new KamiProperties(dataDir), "");
        assertThat(again.aead().decrypt(sealed, bytes("ad"))).isEqualTo(bytes("data key"));
    }

    @Test
    void aSuppliedKeyIsUsedAsJsonOrBase64AndNothingIsWrittenToTheDataDir() throws Exception {
        AeadConfig.register();
        String json = TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        String base64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));

        MasterKey fromJson = new MasterKey(new KamiProperties(dataDir), json);
        MasterKey fromBase64 = new MasterKey(new KamiProperties(dataDir), base64);

        byte[] sealed = fromJson.aead().encrypt(bytes("data key"), bytes("ad"));
        assertThat(fromBase64.aead().decrypt(sealed, bytes("ad"))).isEqualTo(bytes("data key"));
        assertThat(dataDir.resolve("secrets")).doesNotExist();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
