package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class EmbeddedDatabaseTest extends KamiIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void acknowledgedCommitsAreDurable() {
        assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("on");
        assertThat(jdbc.sql("show synchronous_commit").query(String.class).single()).isEqualTo("on");
        assertThat(jdbc.sql("show full_page_writes").query(String.class).single()).isEqualTo("on");
    }

    @Test
    void runsPostgreSql17() {
        assertThat(jdbc.sql("show server_version").query(String.class).single()).startsWith("17.");
    }

    @Test
    void poolHasFiveConnectionsPerCpuItSharesWithTheDatabaseAndAtLeastEight() throws SQLException {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize())
                .isEqualTo(Math.max(8, 5 * cpus));
    }
}
