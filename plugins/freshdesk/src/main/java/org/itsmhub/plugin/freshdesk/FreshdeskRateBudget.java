package org.itsmhub.plugin.freshdesk;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * This connection's share of the account's per-minute API budget ({@code rate.limit.per.minute}),
 * kept as a sliding minute: a request waits while that many requests of this connection went out
 * in the last minute. A budget in fixed one-minute periods lets twice the limit through across a
 * period edge, which Freshdesk answers with 429s; this one never exceeds the limit in any minute,
 * however the account's minute is counted, and still lets a burst up to the limit go at once (a
 * webhook's few calls never wait). One instance per connection; thread-safe.
 */
final class FreshdeskRateBudget implements Interceptor {

    /** Clocks and network delays differ a little between here and Freshdesk: keep this much spare. */
    static final Duration MARGIN = Duration.ofMillis(500);

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> sent = new ArrayDeque<>();

    FreshdeskRateBudget(int requestsPerMinute, Clock clock) {
        if (requestsPerMinute <= 0) {
            throw new IllegalArgumentException("a budget needs at least one request a minute");
        }
        this.limit = requestsPerMinute;
        this.window = Duration.ofMinutes(1).plus(MARGIN);
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        for (Duration wait = reserve(); !wait.isZero(); wait = reserve()) {
            try {
                Thread.sleep(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the Freshdesk rate budget");
            }
        }
        return chain.proceed(chain.request());
    }

    /** Takes a slot for a request now and returns zero, or returns how long until a slot frees up. */
    synchronized Duration reserve() {
        Instant now = clock.instant();
        while (!sent.isEmpty() && !sent.peekFirst().plus(window).isAfter(now)) {
            sent.pollFirst();
        }
        if (sent.size() < limit) {
            sent.addLast(now);
            return Duration.ZERO;
        }
        return Duration.between(now, sent.peekFirst().plus(window));
    }
}
