package kami.platform;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings every module may read. Each module keeps its own settings in its own properties record. */
@ConfigurationProperties("kami")
public record KamiProperties(Path dataDir) {

    public KamiProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }
}
