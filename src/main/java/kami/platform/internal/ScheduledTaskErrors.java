package kami.platform.internal;

import kami.platform.DatabaseOutages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ErrorHandler;

/**
 * How a failed run of a periodic job (sweepers, status queries, relays) is logged. The job runs again at its next
 * tick either way; a database outage is expected to pass, so it gets one warning line instead of a stack trace
 * per job and tick, and anything else stays an error with its stack trace.
 */
@Configuration(proxyBeanMethods = false)
class ScheduledTaskErrors {

    private static final Logger log = LoggerFactory.getLogger(ScheduledTaskErrors.class);

    /** The scheduler on platform threads. */
    @Bean
    ThreadPoolTaskSchedulerCustomizer scheduledTaskErrorHandler() {
        return scheduler -> scheduler.setErrorHandler(handler());
    }

    /** The scheduler Spring Boot uses when virtual threads are on (Kami's default). */
    @Bean
    SimpleAsyncTaskSchedulerCustomizer virtualThreadScheduledTaskErrorHandler() {
        return scheduler -> scheduler.setErrorHandler(handler());
    }

    static ErrorHandler handler() {
        return failure -> {
            if (DatabaseOutages.isDatabaseOutage(failure)) {
                log.warn("A periodic job could not reach the database and runs again at its next tick: {}",
                        rootMessage(failure));
            } else {
                log.error("A periodic job failed and runs again at its next tick", failure);
            }
        };
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
