package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseOutagesTest {

    @Test
    void unreachableOrRestartingDatabasesAreOutages() {
        assertThat(DatabaseOutages.isDatabaseOutage(new CannotGetJdbcConnectionException("no connection",
                new SQLException("Connection refused", "08001")))).isTrue();
        assertThat(DatabaseOutages.isDatabaseOutage(new CannotCreateTransactionException("pool timed out")))
                .isTrue();
        assertThat(DatabaseOutages.isDatabaseOutage(new TransactionSystemException("commit failed",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseOutages.isDatabaseOutage(new IllegalStateException("wrapped",
                new SQLException("This connection has been closed.", "08003")))).isTrue();
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailed.initApplicationException(new SQLException("terminating connection", "57P01"));
        assertThat(DatabaseOutages.isDatabaseOutage(rollbackFailed)).as("rollback after a cut").isTrue();
    }

    @Test
    void failuresOfTheWorkItselfAreNot() {
        assertThat(DatabaseOutages.isDatabaseOutage(new DuplicateKeyException("duplicate",
                new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(DatabaseOutages.isDatabaseOutage(new IllegalStateException("order holds 0 reserved keys")))
                .isFalse();
        assertThat(DatabaseOutages.isDatabaseOutage(new SQLException("no state"))).isFalse();
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailed.initApplicationException(new IllegalStateException("a bug"));
        assertThat(DatabaseOutages.isDatabaseOutage(rollbackFailed)).isFalse();
    }
}
