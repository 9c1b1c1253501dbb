package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import kami.support.Http;
import kami.support.KamiProcess;
import org.junit.jupiter.api.Test;

/**
 * Readiness says whether Kami can serve (it needs its database); liveness only whether the process should be
 * restarted, which would not bring a lost database back. The embedded PostgreSQL is killed under a running Kami.
 */
class ReadinessFollowsTheDatabaseIT {

    @Test
    void readinessFailsWhenThePostgresqlIsGoneWhileLivenessHolds() throws Exception {
        Path dataDir = Files.createTempDirectory("kami-readiness-");
        KamiProcess kami = KamiProcess.start(dataDir, KamiProcess.freePort(), Path.of("target", "readiness-it",
                "kami.log"));
        try {
            Http http = kami.http();
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);

            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"))
                    .getFirst().strip());
            ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            int readiness = 200;
            while (readiness == 200 && Instant.now().isBefore(deadline)) {
                Thread.sleep(250);
                readiness = http.get("/actuator/health/readiness").status();
            }
            assertThat(readiness).as("readiness without a database").isEqualTo(503);
            assertThat(http.get("/actuator/health/liveness").status()).as("liveness without a database")
                    .isEqualTo(200);
        } finally {
            kami.killHard();
        }
    }
}
