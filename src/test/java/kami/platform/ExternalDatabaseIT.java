package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code --kami.datasource.url} points Kami at an external PostgreSQL (here the machine's own server on
 * 127.0.0.1:5432) instead of starting the embedded one.
 */
class ExternalDatabaseIT {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    @Test
    void runsOnAnExternalPostgreSqlWhenItsUrlIsGiven() throws Exception {
        String database = "kami_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create database " + database);
        Path dataDir = Files.createTempDirectory("kami-external-");
        KamiProcess kami = KamiProcess.start(dataDir, KamiProcess.freePort(), Path.of("target", "external-it",
                "kami.log"), "--kami.datasource.url=" + SERVER + database);
        try {
            Http http = kami.http();
            Http.Response created = http.adminPost("/api/admin/products", Http.toJson(Map.of("name", "External",
                    "description", "", "priceMinor", 100, "currency", "CNY")), "application/json");
            assertThat(created.status()).isEqualTo(201);
            assertThat(Files.exists(dataDir.resolve("pg"))).as("no embedded database started").isFalse();
            try (Connection connection = DriverManager.getConnection(SERVER + database, "postgres", "");
                    Statement statement = connection.createStatement();
                    var result = statement.executeQuery("select count(*) from product where name = 'External'")) {
                result.next();
                assertThat(result.getLong(1)).isEqualTo(1);
            }
        } finally {
            kami.stop();
            execute("drop database if exists " + database);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
