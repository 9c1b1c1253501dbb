package kami.platform.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads, once Kami has started, the database settings its promises rest on, and raises an {@code ALERT} for each
 * one that breaks them. The embedded database is started with all of them right; an external one is the
 * operator's, and a commit that a crash can take back after Kami acknowledged it (a channel told a payment was
 * recorded, a buyer shown a key) is exactly what Kami exists to prevent. Kami still starts: the settings may be
 * deliberate (a throwaway test database), and refusing would take the shop down over a warning.
 */
@Component
class DatabaseSettingsCheck {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSettingsCheck.class);

    /** A setting that is off where Kami needs it on, and what that costs. */
    record Risk(String setting, String consequence) {

        String describe() {
            return setting + " = off: " + consequence;
        }
    }

    /** Every setting checked, each a risk when it is off, in the order of the ALERT lines. */
    private static final List<Risk> WHEN_OFF = List.of(
            new Risk("fsync", "a crash of the database's machine can lose commits Kami has acknowledged (recorded"
                    + " payments, delivered keys, ledger transfers) or corrupt the database"),
            // local, remote_write, on and remote_apply all wait for this server's disk at least.
            new Risk("synchronous_commit", "a crash of the database server can lose the last commits after Kami"
                    + " acknowledged them: a channel told a payment was recorded that was not"),
            new Risk("full_page_writes", "a crash in the middle of a page write can leave a torn page that recovery"
                    + " cannot repair"),
            new Risk("autovacuum", "the busy tables (keys, orders, payments, message queues) keep every dead row,"
                    + " and reserving keys and taking messages gets slower with every order"),
            new Risk("track_counts", "autovacuum cannot tell which tables need it and never vacuums the busy tables"
                    + " (keys, orders, payments, message queues)"));

    private final JdbcClient jdbc;
    private final AtomicInteger atRisk = new AtomicInteger();

    DatabaseSettingsCheck(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("kami.database.settings.at.risk", atRisk, AtomicInteger::get)
                .description("database settings that put acknowledged commits or the busy tables' upkeep at risk"
                        + " (see the ALERT lines at start)")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void checkAtStart() {
        try {
            List<Risk> risks = check();
            risks.forEach(risk -> log.warn("ALERT database setting {}", risk.describe()));
        } catch (DataAccessException e) {
            // The database's own health check reports an unreachable database; this check is not worth a failed start.
            log.warn("Could not read the database's settings to check them: {}", e.getMessage());
        }
    }

    /** Reads the settings as a new session of Kami's sees them, and publishes how many are at risk. */
    List<Risk> check() {
        Map<String, String> settings = jdbc.sql("select name, setting from pg_settings where name in (:names)")
                .param("names", WHEN_OFF.stream().map(Risk::setting).toList())
                .query((rs, n) -> Map.entry(rs.getString("name"), rs.getString("setting")))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        List<Risk> risks = risks(settings);
        atRisk.set(risks.size());
        return risks;
    }

    /** A setting the map lacks is not judged (an older or unusual server). */
    static List<Risk> risks(Map<String, String> settings) {
        boolean autovacuumOff = "off".equals(settings.get("autovacuum"));
        return WHEN_OFF.stream().filter(risk -> "off".equals(settings.get(risk.setting())))
                // Without autovacuum, track_counts costs the tables nothing more: one risk, not two.
                .filter(risk -> !(autovacuumOff && risk.setting().equals("track_counts")))
                .toList();
    }
}
