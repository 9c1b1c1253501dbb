package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest extends KamiIntegrationTest {

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
}
