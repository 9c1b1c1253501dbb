package kami.messaging.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Wakes this worker's relay and consumers when a process without the worker role commits an outbox row or, with
 * the embedded transport, deliveries. Such a process (say {@code api,notify}) cannot wake them in its own memory,
 * so its publishing transaction sends a PostgreSQL {@code NOTIFY} on {@value #CHANNEL}, delivered only if and when
 * it commits; workers {@code LISTEN} on a connection of their own. Without it a paid order would wait for the next
 * poll before delivery. Notifications are only a hint: one lost while the connection is down is covered by a wake
 * right after reconnecting and, as always, by the polls of the relay and the consumers.
 */
@Component
class RelayWakeups {

    static final String CHANNEL = "kami_outbox";

    private static final Logger log = LoggerFactory.getLogger(RelayWakeups.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final Relay relay;
    private final Transport transport;
    private final MessagingProperties properties;
    private final LoopThread loop = new LoopThread("messaging-relay-wakeups", this::run);

    RelayWakeups(DataSource dataSource, Relay relay, Transport transport, MessagingProperties properties) {
        this.dataSource = dataSource;
        this.relay = relay;
        this.transport = transport;
        this.properties = properties;
    }

    void start() {
        loop.start();
    }

    void stop() throws InterruptedException {
        loop.stop();
    }

    /** The commit was an outbox row for the relay, or deliveries the embedded transport wrote for consumers. */
    private void wake() {
        relay.wake();
        transport.wakeConsumers();
    }

    private void run() {
        while (loop.running()) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                // Rows committed while nobody listened.
                wake();
                PGConnection listening = connection.unwrap(PGConnection.class);
                while (loop.running()) {
                    PGNotification[] notifications = listening.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        wake();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!loop.running()) {
                    return;
                }
                Duration pause = properties.relay().pollInterval();
                log.warn("Listening for outbox commits of other processes failed; listening again in {} (the relay "
                        + "polls meanwhile): {}", pause, e.getMessage());
                Signal.sleepQuietly(pause);
            }
        }
    }
}
