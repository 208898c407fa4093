package org.itsmhub.runtime.connection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * How the hub calls into connectors: plugins classify their failures, this class decides. One
 * Resilience4j retry and one circuit breaker per connection.
 *
 * <ul>
 *   <li>Only {@link ConnectorException#isRetriable() retriable} failures are retried, with
 *       exponential backoff, and never sooner than the vendor's {@code Retry-After}. Authentication
 *       and data errors fail at once.</li>
 *   <li>When a connection keeps failing, its circuit opens: calls fail fast with a retriable error
 *       for a while instead of hammering a vendor that is down, then a few trial calls decide.</li>
 * </ul>
 * What still fails after the last attempt is thrown to the flow, which dead-letters the record; its
 * message then ends with the connection ({@code ... (connection acme/acme-snow)}), so that the one
 * line the flow logs says which connection to look at. Retries are logged at DEBUG only.
 */
public final class ConnectorCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorCalls.class);

    /** The policy; {@link #defaults()} suits vendor APIs with per-minute rate limits. */
    public record Policy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxWait,
            int circuitWindow, float circuitFailureRate, Duration circuitOpenFor) {

        public Policy {
            if (maxAttempts < 1 || initialBackoff.isNegative() || multiplier < 1 || maxWait.isNegative()) {
                throw new IllegalArgumentException("invalid retry policy");
            }
        }

        public static Policy defaults() {
            return new Policy(4, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(2), 20, 50f, Duration.ofSeconds(60));
        }
    }

    private final Policy policy;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public ConnectorCalls(Policy policy) {
        this.policy = policy;
    }

    /**
     * Runs {@code call} for {@code tenant/connection}, retrying as the policy says.
     *
     * @param operation what the call does, for logs ("read tickets")
     */
    public <T> T call(String tenant, String connection, String operation, Supplier<T> call) {
        String key = tenant + "/" + connection;
        CircuitBreaker breaker = breakers.computeIfAbsent(key, this::newBreaker);
        Retry retry = retries.computeIfAbsent(key, this::newRetry);
        Supplier<T> guarded = () -> {
            try {
                return breaker.executeSupplier(call);
            } catch (CallNotPermittedException open) {
                throw new RetriableException("connection " + key + " is failing repeatedly; calls are paused for "
                        + policy.circuitOpenFor().toSeconds() + " s", policy.circuitOpenFor(), open);
            }
        };
        try {
            return Retry.decorateSupplier(retry, () -> {
                try {
                    return guarded.get();
                } catch (RetriableException e) {
                    LOG.debug("{} on {} failed, may retry: {}", operation, key, e.getMessage(), e);
                    throw e;
                }
            }).get();
        } catch (ConnectorException e) {
            throw onConnection(key, e);
        }
    }

    /**
     * The same kind of failure, its message ending with the connection (the original is the cause); at
     * the end, so that a shortened message (e.g. in {@code dlq list}) still shows the vendor's words.
     */
    static ConnectorException onConnection(String key, ConnectorException e) {
        String name = "connection " + key;
        if (e.getMessage() != null && e.getMessage().contains(name)) {
            return e;
        }
        String message = e.getMessage() + " (" + name + ")";
        if (e instanceof AuthenticationException) {
            return new AuthenticationException(message, e);
        }
        if (e instanceof RetriableException r) {
            return new RetriableException(message, r.retryAfter().orElse(null), e);
        }
        if (e instanceof DataMappingException) {
            return new DataMappingException(message, e);
        }
        return new ConnectorException(message, e);
    }

    /** Runs a call that returns nothing. */
    public void run(String tenant, String connection, String operation, Runnable call) {
        call(tenant, connection, operation, () -> {
            call.run();
            return null;
        });
    }

    /** The state of a connection's circuit ({@code CLOSED} = healthy), for health and metrics. */
    public CircuitBreaker.State circuitState(String tenant, String connection) {
        CircuitBreaker b = breakers.get(tenant + "/" + connection);
        return b == null ? CircuitBreaker.State.CLOSED : b.getState();
    }

    private Retry newRetry(String key) {
        IntervalBiFunction<Object> interval = (attempt, either) -> {
            long backoff = (long) (policy.initialBackoff().toMillis() * Math.pow(policy.multiplier(), attempt - 1));
            long vendorWait = either.isLeft() && either.getLeft() instanceof RetriableException r
                    ? r.retryAfter().map(Duration::toMillis).orElse(0L) : 0L;
            return Math.min(Math.max(backoff, vendorWait), policy.maxWait().toMillis());
        };
        Retry retry = Retry.of("connector-" + key, RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof ConnectorException c && c.isRetriable())
                .build());
        retry.getEventPublisher().onRetry(e -> LOG.debug("Retrying {} (attempt {} of {}) in {} ms: {}", key,
                e.getNumberOfRetryAttempts() + 1, policy.maxAttempts(), e.getWaitInterval().toMillis(),
                e.getLastThrowable() == null ? "" : e.getLastThrowable().getMessage()));
        return retry;
    }

    private CircuitBreaker newBreaker(String key) {
        CircuitBreaker breaker = CircuitBreaker.of("connector-" + key, CircuitBreakerConfig.custom()
                .slidingWindowSize(policy.circuitWindow())
                .minimumNumberOfCalls(policy.circuitWindow())
                .failureRateThreshold(policy.circuitFailureRate())
                .waitDurationInOpenState(policy.circuitOpenFor())
                .recordException(e -> e instanceof ConnectorException c && c.isRetriable())
                .build());
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("Connection {}: circuit {}", key,
                e.getStateTransition()));
        return breaker;
    }
}
