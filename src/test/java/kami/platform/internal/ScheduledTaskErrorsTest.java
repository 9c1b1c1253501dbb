package kami.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.TaskScheduler;

/** A periodic job that cannot reach the database logs one warning line and runs again at its next tick. */
@ExtendWith(OutputCaptureExtension.class)
class ScheduledTaskErrorsTest extends KamiIntegrationTest {

    @Autowired
    TaskScheduler scheduler;

    @Test
    void aDatabaseOutageInAPeriodicJobIsOneWarningAndTheJobRunsAgain(CapturedOutput output) {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> job = scheduler.scheduleWithFixedDelay(() -> {
            runs.incrementAndGet();
            throw new DataAccessResourceFailureException("PreparedStatementCallback",
                    new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        }, Duration.ofMillis(50));
        try {
            await("the job runs again", Duration.ofSeconds(10), () -> runs.get() >= 2);
        } finally {
            job.cancel(false);
        }
        assertThat(output.getOut()).contains("A periodic job could not reach the database and runs again at its "
                + "next tick: SQLException: An I/O error occurred while sending to the backend.");
        assertThat(output.getAll()).doesNotContain("Unexpected error occurred in scheduled task")
                .doesNotContain("A periodic job failed");
    }
}
