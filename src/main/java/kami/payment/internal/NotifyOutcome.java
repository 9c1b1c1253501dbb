package kami.payment.internal;

import org.springframework.http.HttpStatus;

/** The answer to a notify: acknowledged (first time or again), or rejected with a stable code. */
sealed interface NotifyOutcome {

    record Acknowledged(boolean firstTime) implements NotifyOutcome {
    }

    record Rejected(HttpStatus status, String code, String reason) implements NotifyOutcome {
    }
}
