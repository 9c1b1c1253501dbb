/**
 * Reliable messaging between modules: a transactional outbox written in the business transaction, a relay that
 * hands due rows to a transport (embedded in PostgreSQL, or RabbitMQ), and consumers that run each message once
 * in their own transaction, guarded by an inbox keyed by message id. Retries with backoff end in a dead-letter
 * store that operators can list and replay.
 */
@NullMarked
@ApplicationModule(displayName = "Messaging", allowedDependencies = {"platform"})
package kami.messaging;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
