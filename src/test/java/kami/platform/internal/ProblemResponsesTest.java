package kami.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

class ProblemResponsesTest {

    private final ProblemResponses responses = new ProblemResponses();

    @Test
    void aDatabaseOutageIsAnsweredWith503AndRetryAfter() {
        for (Exception outage : new Exception[] {
                new CannotGetJdbcConnectionException("no connection", new SQLException("refused", "08001")),
                new TransactionSystemException("commit failed", new SQLException("terminating", "57P01"))}) {
            ResponseEntity<ProblemDetail> answer = responses.other(outage);
            assertThat(answer.getStatusCode().value()).isEqualTo(503);
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(answer.getBody().getProperties()).containsEntry("code", "DATABASE_UNAVAILABLE");
            assertThat(answer.getBody().getDetail()).doesNotContain("terminating", "refused");
        }
    }

    @Test
    void anythingElseUnexpectedIsA500WithoutInternals() {
        ResponseEntity<ProblemDetail> answer = responses.other(new IllegalStateException("secret internals"));
        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody().getProperties()).containsEntry("code", "INTERNAL_ERROR");
        assertThat(answer.getBody().getDetail()).doesNotContain("secret");
    }
}
