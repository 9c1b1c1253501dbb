package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import kami.support.Http;
import kami.support.KamiProcess;
import kami.support.ServerDatabase;
import org.junit.jupiter.api.Test;

/**
 * {@code --kami.datasource.url} points Kami at an external PostgreSQL (here the machine's own server on
 * 127.0.0.1:5432) instead of starting the embedded one.
 */
class ExternalDatabaseIT {

    @Test
    void runsOnAnExternalPostgreSqlWhenItsUrlIsGiven() throws Exception {
        try (ServerDatabase database = ServerDatabase.create("kami_it")) {
            Path dataDir = Files.createTempDirectory("kami-external-");
            KamiProcess kami = KamiProcess.start(dataDir, KamiProcess.freePort(), Path.of("target", "external-it",
                    "kami.log"), "--kami.datasource.url=" + database.url());
            try {
                Http.Response created = kami.http().adminPost("/api/admin/products", Http.toJson(Map.of("name",
                        "External", "description", "", "priceMinor", 100, "currency", "CNY")), "application/json");
                assertThat(created.status()).isEqualTo(201);
                assertThat(Files.exists(dataDir.resolve("pg"))).as("no embedded database started").isFalse();
                assertThat(database.count("select count(*) from product where name = 'External'")).isEqualTo(1);
            } finally {
                kami.stop();
            }
        }
    }
}
