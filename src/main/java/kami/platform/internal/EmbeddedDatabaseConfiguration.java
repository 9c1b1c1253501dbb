package kami.platform.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import kami.platform.KamiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts PostgreSQL inside the process when no external database is configured, with its data in
 * {@code <data-dir>/pg}. Unlike the library's test defaults, fsync and synchronous commit stay on: a shop that
 * takes payments must not lose an acknowledged commit.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseCondition.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);
    private static final int CONNECTIONS_PER_CPU = 5;
    private static final int MIN_DEFAULT_POOL_SIZE = 8;

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(KamiProperties kami, @Value("${kami.embedded-db.port:0}") int port)
            throws IOException {
        Path pgData = kami.dataDir().resolve("pg");
        Files.createDirectories(pgData);
        OrphanedPostgres.stopIfRunning(pgData);
        boolean fresh = !Files.exists(pgData.resolve("PG_VERSION"));
        log.info("Starting embedded PostgreSQL in {} ({})", pgData, fresh ? "new" : "existing data");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                // The Spring context closes first and stops PostgreSQL as its last bean; the library's own
                // hook could stop it while pending events are still being written.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // Busy tables are vacuumed after a fixed number of changes (migration V2); look for them often.
                .setServerConfig("autovacuum_naptime", "10s");
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres,
            @Value("${kami.embedded-db.pool-size:${kami.datasource.pool-size:0}}") int poolSize,
            @Value("${kami.datasource.connection-timeout-ms:5000}") long connectionTimeoutMillis) {
        if (poolSize < 0) {
            throw new IllegalArgumentException("kami.embedded-db.pool-size (or kami.datasource.pool-size) must be a"
                    + " positive number of connections, or 0 for the default of " + CONNECTIONS_PER_CPU
                    + " per CPU; got " + poolSize);
        }
        int connections = poolSize > 0 ? poolSize : defaultPoolSize(Runtime.getRuntime().availableProcessors());
        log.info("Embedded PostgreSQL pool: {} connections{}", connections, poolSize > 0 ? " (configured)"
                : " (" + CONNECTIONS_PER_CPU + " per CPU, at least " + MIN_DEFAULT_POOL_SIZE + ")");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(connections);
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setPoolName("kami-embedded");
        return new HikariDataSource(config);
    }

    /**
     * The embedded database shares Kami's CPUs, and every connection past a few per CPU only adds backends that
     * take turns on them: 64 buyers over 32 connections cost PostgreSQL more CPU per order than over 10, and
     * delivered fewer orders (docs/benchmarks). Requests beyond the pool wait in it, which costs less.
     */
    static int defaultPoolSize(int cpus) {
        return Math.max(MIN_DEFAULT_POOL_SIZE, CONNECTIONS_PER_CPU * cpus);
    }
}
