package kami.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import kami.platform.internal.DatabaseSettingsCheck.Risk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseSettingsCheckTest {

    private static Map<String, String> safe() {
        return new HashMap<>(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on",
                "autovacuum", "on", "track_counts", "on"));
    }

    @Test
    void aDatabaseThatKeepsEveryCommitAndItsTablesCleanIsNotAtRisk() {
        assertThat(DatabaseSettingsCheck.risks(safe())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "remote_write", "remote_apply"})
    void commitsThatWaitForThisServersDiskAtLeastAreDurable(String level) {
        Map<String, String> settings = safe();
        settings.put("synchronous_commit", level);
        assertThat(DatabaseSettingsCheck.risks(settings)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fsync", "synchronous_commit", "full_page_writes", "autovacuum", "track_counts"})
    void eachSettingThatIsOffIsNamedWithWhatItCosts(String setting) {
        Map<String, String> settings = safe();
        settings.put(setting, "off");
        assertThat(DatabaseSettingsCheck.risks(settings)).singleElement().satisfies(risk -> {
            assertThat(risk.setting()).isEqualTo(setting);
            assertThat(risk.describe()).startsWith(setting + " = off: ").hasSizeGreaterThan(setting.length() + 40);
        });
    }

    @Test
    void allOfThemAtOnceAreReportedOnceEach() {
        Map<String, String> settings = Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off",
                "autovacuum", "off", "track_counts", "off");
        // Without autovacuum, track_counts changes nothing more for the tables: one risk, not two.
        assertThat(DatabaseSettingsCheck.risks(settings)).extracting(Risk::setting)
                .containsExactly("fsync", "synchronous_commit", "full_page_writes", "autovacuum");
    }

    @Test
    void aSettingTheServerDoesNotReportIsNotJudged() {
        assertThat(DatabaseSettingsCheck.risks(Map.of("fsync", "off"))).extracting(Risk::setting)
                .containsExactly("fsync");
    }
}
