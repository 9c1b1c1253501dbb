package kami.platform.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files holding secrets: written whole (never half) and readable by their owner only. */
final class SecretFiles {

    private SecretFiles() {
    }

    static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system; the data directory's own permissions have to protect it.
        }
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
