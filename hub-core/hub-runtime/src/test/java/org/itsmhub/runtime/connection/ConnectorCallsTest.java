package org.itsmhub.runtime.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

class ConnectorCallsTest {

    private final ConnectorCalls calls = new ConnectorCalls(new ConnectorCalls.Policy(3, Duration.ofMillis(10), 2.0,
            Duration.ofMillis(500), 4, 50f, Duration.ofSeconds(30)));

    @Test
    void retriableFailuresAreRetriedUntilTheCallSucceeds() {
        AtomicInteger attempts = new AtomicInteger();

        String result = calls.call("acme", "desk", "read", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new RetriableException("HTTP 503");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void theVendorsRetryAfterIsHonoured() {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();

        calls.call("acme", "desk", "read", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new RetriableException("HTTP 429", Duration.ofMillis(400), null);
            }
            return "ok";
        });

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void authenticationAndDataErrorsAreNeverRetried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> calls.call("acme", "desk", "read", () -> {
            attempts.incrementAndGet();
            throw new AuthenticationException("HTTP 401");
        })).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> calls.call("acme", "desk", "write", () -> {
            attempts.incrementAndGet();
            throw new DataMappingException("HTTP 422");
        })).isInstanceOf(DataMappingException.class);

        assertThat(attempts).hasValue(2);
    }

    @Test
    void afterTheLastAttemptTheFailureReachesTheFlowToBeDeadLettered() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> calls.call("acme", "desk", "read", () -> {
            attempts.incrementAndGet();
            throw new RetriableException("HTTP 502");
        })).isInstanceOf(RetriableException.class).hasMessage("HTTP 502 (connection acme/desk)");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aFailureNamesItsConnectionAndKeepsItsKindAndRetryAfter() {
        RetriableException throttled = new RetriableException("Acme list failed: HTTP 429", Duration.ofSeconds(7), null);

        assertThatThrownBy(() -> calls.call("acme", "desk", "read", () -> {
            throw new AuthenticationException("Acme read failed: HTTP 401; check api.key");
        })).isInstanceOf(AuthenticationException.class)
                .hasMessage("Acme read failed: HTTP 401; check api.key (connection acme/desk)");
        assertThat(ConnectorCalls.onConnection("acme/desk", throttled))
                .isInstanceOfSatisfying(RetriableException.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)))
                .hasMessage("Acme list failed: HTTP 429 (connection acme/desk)").hasCause(throttled);
        assertThat(ConnectorCalls.onConnection("acme/desk", new DataMappingException("bad"))).isInstanceOf(
                DataMappingException.class);
    }

    @Test
    void aConnectionThatKeepsFailingOpensItsCircuitWithoutAffectingOthers() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> calls.call("acme", "down", "read", () -> {
                throw new RetriableException("HTTP 503");
            })).isInstanceOf(RetriableException.class);
        }

        assertThat(calls.circuitState("acme", "down")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(calls.circuitState("acme", "desk")).isEqualTo(CircuitBreaker.State.CLOSED);
        AtomicInteger reached = new AtomicInteger();
        assertThatThrownBy(() -> calls.call("acme", "down", "read", () -> reached.incrementAndGet()))
                .isInstanceOf(RetriableException.class).hasMessageContaining("calls are paused");
        assertThat(reached).hasValue(0);
    }
}
