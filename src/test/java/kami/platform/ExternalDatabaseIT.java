package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    /**
     * A database that may lose a commit after Kami acknowledged it is the operator's choice, but never a silent
     * one: Kami starts and raises an ALERT naming the setting, and its gauge counts it.
     */
    @Test
    void alertsAtStartWhenTheDatabaseCanLoseAcknowledgedCommits() throws Exception {
        try (ServerDatabase database = ServerDatabase.create("kami_it")) {
            database.update("alter database " + database.name() + " set synchronous_commit = off");
            KamiProcess kami = KamiProcess.start(Files.createTempDirectory("kami-external-"), KamiProcess.freePort(),
                    Path.of("target", "external-it", "kami-asynchronous-commit.log"),
                    "--kami.datasource.url=" + database.url());
            try {
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                double atRisk = 0;
                while (atRisk < 1 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                    atRisk = kami.http().adminGet("/actuator/metrics/kami.database.settings.at.risk").json()
                            .path("measurements").path(0).path("value").asDouble();
                }
                assertThat(atRisk).as("settings at risk").isGreaterThanOrEqualTo(1);
                assertThat(kami.log()).contains("ALERT database setting synchronous_commit = off");
                assertThat(kami.http().get("/actuator/health/readiness").status()).as("Kami still serves")
                        .isEqualTo(200);
            } finally {
                kami.stop();
            }
        }
    }
}
