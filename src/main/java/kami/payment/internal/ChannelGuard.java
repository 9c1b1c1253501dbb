package kami.payment.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kami.payment.channel.ChannelException;
import kami.payment.channel.CreatedPayment;
import kami.payment.channel.PaymentState;
import kami.payment.channel.RefundState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fail-fast isolation for channel calls. Each payment path (channel account + method, and + bank for a method
 * with a bank choice) has its own circuit breaker judging failures, unknown outcomes and slow calls; each account
 * has a bulkhead bounding its calls in flight, shared by its methods and banks, and every call has a timeout. So
 * a hanging channel (or bank) costs its own callers at most the timeout and never the threads or connections of
 * other channels. Operators switch paths off and on (persisted, read by every instance within seconds); a path
 * whose breaker has just closed again is shown to a growing share of buyers.
 */
@Component
class ChannelGuard {

    /** How buyers may use a path now. */
    record PathHealth(String path, boolean switchedOn, String breaker, double share) {

        boolean usable() {
            return switchedOn && share > 0;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ChannelGuard.class);

    private final GuardProperties properties;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CircuitBreaker> pathBreakers = new ConcurrentHashMap<>();
    private final Map<String, Instant> recoveredAt = new ConcurrentHashMap<>();
    private volatile Set<String> switchedOff = Set.of();

    ChannelGuard(GuardProperties properties, JdbcClient jdbc, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.meters = meters;
        this.clock = clock;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.windowSize())
                .minimumNumberOfCalls(properties.minimumCalls())
                .failureRateThreshold(properties.failureRateThreshold())
                .slowCallDurationThreshold(properties.slowCallThreshold())
                .slowCallRateThreshold(properties.slowCallRateThreshold())
                .waitDurationInOpenState(properties.openFor())
                .permittedNumberOfCallsInHalfOpenState(Math.min(5, properties.minimumCalls()))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordResult(ChannelGuard::isUnknownOutcome)
                .recordException(ChannelGuard::isUnknownOutcome)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(properties.concurrentCallsMax())
                .maxWaitDuration(Duration.ZERO)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    CreatedPayment create(ChannelEndpoint endpoint, PaymentRecord payment) throws ChannelException {
        try {
            return call(endpoint, PaymentPath.of(payment), "create",
                    () -> endpoint.channel().create(payment.toChannel()));
        } catch (Refused refused) {
            throw new ChannelException(refused.getMessage(), false);
        } catch (ChannelException e) {
            throw e;
        } catch (Exception e) {
            throw new ChannelException(describe(e), true, e);
        }
    }

    PaymentState query(ChannelEndpoint endpoint, PaymentRecord payment) {
        return stateOf(endpoint, payment, "query", () -> endpoint.channel().query(payment.toChannel()));
    }

    PaymentState close(ChannelEndpoint endpoint, PaymentRecord payment) {
        return stateOf(endpoint, payment, "close", () -> endpoint.channel().close(payment.toChannel()));
    }

    /** A refund travels the path its payment took, down to the bank. */
    RefundState refund(ChannelEndpoint endpoint, PaymentPath path, Callable<RefundState> refund) {
        try {
            return call(endpoint, path, "refund", refund);
        } catch (Exception e) {
            return new RefundState.Unknown(describe(e));
        }
    }

    private PaymentState stateOf(ChannelEndpoint endpoint, PaymentRecord payment, String operation,
            Callable<PaymentState> call) {
        try {
            return call(endpoint, PaymentPath.of(payment), operation, call);
        } catch (Exception e) {
            return new PaymentState.Unknown(describe(e));
        }
    }

    /**
     * Runs the call under the path's breaker (the bank's, for a payment with a bank), the account's bulkhead and
     * the timeout, and times it.
     */
    private <T> T call(ChannelEndpoint endpoint, PaymentPath path, String operation, Callable<T> call)
            throws Exception {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        CircuitBreaker breaker = breaker(path.name());
        Bulkhead bulkhead = bulkheads.bulkhead(endpoint.name());
        if (!breaker.tryAcquirePermission()) {
            record(sample, path, operation, "breaker_open");
            throw new Refused("payment path " + path.name() + " is failing; its circuit breaker is open");
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            record(sample, path, operation, "bulkhead_full");
            throw new Refused("channel " + endpoint.name() + " has too many calls in flight");
        }
        long start = System.nanoTime();
        Future<T> future = calls.submit(call);
        try {
            T result = future.get(properties.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            breaker.onResult(System.nanoTime() - start, TimeUnit.NANOSECONDS, result);
            outcome = isUnknownOutcome(result) ? "unknown" : "answered";
            return result;
        } catch (TimeoutException e) {
            future.cancel(true);
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            outcome = "timeout";
            throw new ChannelException("channel " + endpoint.name() + " did not answer within "
                    + properties.callTimeout().toMillis() + " ms", true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, cause);
            outcome = cause instanceof ChannelException rejected && !rejected.outcomeUnknown() ? "rejected" : "unknown";
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        } finally {
            bulkhead.onComplete();
            record(sample, path, operation, outcome);
        }
    }

    PathHealth health(String account, String method) {
        return health(PaymentPath.of(account, method));
    }

    /**
     * The path's own breaker and ramp; a bank path counts as switched on only while its method is switched on
     * too, so switching a method off hides all its banks.
     */
    PathHealth health(PaymentPath path) {
        String name = path.name();
        CircuitBreaker.State state = breaker(name).getState();
        Set<String> off = switchedOff;
        boolean on = !off.contains(name) && !off.contains(path.methodPath().name());
        double share = switch (state) {
            case OPEN, FORCED_OPEN -> 0.0;
            case HALF_OPEN -> properties.rampSteps().getFirst();
            default -> rampShare(name);
        };
        return new PathHealth(name, on, state.name(), share);
    }

    /** Whether this buyer is offered the path now: switched on, breaker not open, and within the ramp share. */
    boolean offers(PaymentPath path) {
        PathHealth health = health(path);
        return health.usable() && (health.share() >= 1.0 || ThreadLocalRandom.current().nextDouble() < health.share());
    }

    void switchPath(PaymentPath path, boolean enabled) {
        jdbc.sql("""
                insert into channel_path_switch (path, enabled, updated_at) values (:path, :enabled, :now)
                on conflict (path) do update set enabled = excluded.enabled, updated_at = excluded.updated_at""")
                .param("path", path.name()).param("enabled", enabled)
                .param("now", Timestamp.from(clock.instant())).update();
        refreshSwitches();
    }

    @Scheduled(fixedDelayString = "${kami.payments.channel-refresh-interval:5s}")
    void refreshSwitches() {
        switchedOff = Set.copyOf(jdbc.sql("select path from channel_path_switch where not enabled")
                .query(String.class).list());
    }

    private double rampShare(String path) {
        Instant since = recoveredAt.get(path);
        if (since == null) {
            return 1.0;
        }
        long step = Duration.between(since, clock.instant()).toMillis() / properties.rampStepDuration().toMillis();
        if (step >= properties.rampSteps().size()) {
            recoveredAt.remove(path, since);
            return 1.0;
        }
        return properties.rampSteps().get((int) Math.max(0, step));
    }

    private CircuitBreaker breaker(String path) {
        return pathBreakers.computeIfAbsent(path, name -> {
            CircuitBreaker created = breakers.circuitBreaker(name);
            created.getEventPublisher().onStateTransition(event -> {
                log.warn("Payment path {}: circuit breaker {}", name, event.getStateTransition());
                if (event.getStateTransition() == CircuitBreaker.StateTransition.HALF_OPEN_TO_CLOSED) {
                    recoveredAt.put(name, clock.instant());
                }
            });
            return created;
        });
    }

    private void record(Timer.Sample sample, PaymentPath path, String operation, String outcome) {
        sample.stop(Timer.builder("kami.channel.calls").description("Calls to payment channels")
                .tag("channel", path.account()).tag("method", path.method()).tag("bank", path.bankTag())
                .tag("operation", operation).tag("outcome", outcome).register(meters));
    }

    /** Unknown outcomes count against a path; answers (paid, unpaid, refused by the channel) do not. */
    static boolean isUnknownOutcome(Object resultOrError) {
        return switch (resultOrError) {
            case PaymentState.Unknown unknown -> true;
            case RefundState.Unknown unknown -> true;
            case ChannelException e -> e.outcomeUnknown();
            case Throwable e -> true;
            default -> false;
        };
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The guard refused the call without reaching the channel. */
    static final class Refused extends Exception {

        Refused(String message) {
            super(message);
        }
    }
}
