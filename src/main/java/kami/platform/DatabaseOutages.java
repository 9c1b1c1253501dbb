package kami.platform;

import java.sql.SQLException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure caused by the database being unreachable (a cut connection, a restart, a failover) from one
 * caused by the work itself. An outage says nothing about the work: a message must not use up its retries on it
 * (or every message in flight during a database restart would end in the dead-letter queue), and a periodic job
 * just tries again at its next run.
 */
public final class DatabaseOutages {

    private DatabaseOutages() {
    }

    public static boolean isDatabaseOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof CannotCreateTransactionException) {
                return true;
            }
            if (cause instanceof TransactionSystemException rollbackFailed
                    && rollbackFailed.getApplicationException() != null
                    && isDatabaseOutage(rollbackFailed.getApplicationException())) {
                // The rollback failed on a connection the outage had closed; what failed first tells.
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                // 08: connection exception; 57P01..57P03: the server shuts down, crashed, or cannot take
                // connections yet.
                return true;
            }
        }
        return false;
    }
}
