package org.itsmhub.plugin.support.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps one connection within its vendor's rate limit, in two ways:
 * <ul>
 *   <li>a client-side budget (requests per period, a Resilience4j {@link RateLimiter}) so a sync
 *       spreads its calls instead of bursting into the vendor's limit;</li>
 *   <li>the vendor's own signals: after a response says no requests remain ({@code remainingHeader}
 *       = 0) or after a 429, further requests of this connection wait until the vendor's reset time
 *       ({@code Retry-After}, or what {@code resetParser} reads) instead of provoking more 429s.</li>
 * </ul>
 * The 429 itself is passed on unchanged: the client classifies it as retriable with its
 * retry-after, and the hub decides about retrying. One instance per connection.
 */
public final class RateLimitInterceptor implements Interceptor {

    private final RateLimiter budget;
    private final String remainingHeader;
    private final Function<Headers, Optional<Duration>> resetParser;
    private final Clock clock;
    private final Duration maxWait;
    private volatile Instant blockedUntil = Instant.MIN;

    private RateLimitInterceptor(Builder b) {
        this.budget = b.requestsPerPeriod <= 0 ? null
                : RateLimiter.of(b.name, RateLimiterConfig.custom()
                        .limitForPeriod(b.requestsPerPeriod)
                        .limitRefreshPeriod(b.period)
                        .timeoutDuration(b.maxWait)
                        .build());
        this.remainingHeader = b.remainingHeader;
        this.resetParser = b.resetParser;
        this.clock = b.clock;
        this.maxWait = b.maxWait;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        waitForVendorReset();
        if (budget != null && !budget.acquirePermission()) {
            throw new InterruptedIOException("client-side rate limit: no permit within " + maxWait);
        }
        Response response = chain.proceed(chain.request());
        String remaining = remainingHeader == null ? null : response.header(remainingHeader);
        boolean exhausted = remaining != null && remaining.trim().equals("0");
        if (response.code() == 429 || exhausted) {
            Duration wait = resetParser.apply(response.headers()).orElse(response.code() == 429 ? Duration.ofSeconds(1)
                    : Duration.ZERO);
            Instant until = clock.instant().plus(min(wait, maxWait));
            if (until.isAfter(blockedUntil)) {
                blockedUntil = until;
            }
        }
        return response;
    }

    /** When requests of this connection may be sent again; {@link Instant#MIN} when not blocked. */
    public Instant blockedUntil() {
        return blockedUntil;
    }

    private void waitForVendorReset() throws InterruptedIOException {
        Duration wait = Duration.between(clock.instant(), blockedUntil);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(min(wait, maxWait).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the vendor's rate limit to reset");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Builder; by default no client-side budget and {@code Retry-After} as the reset signal. */
    public static final class Builder {
        private final String name;
        private int requestsPerPeriod;
        private Duration period = Duration.ofMinutes(1);
        private String remainingHeader;
        private Clock clock = Clock.systemUTC();
        private Function<Headers, Optional<Duration>> resetParser;
        private Duration maxWait = Duration.ofMinutes(2);

        private Builder(String name) {
            this.name = name;
            this.resetParser = h -> HttpErrorClassifier.parseRetryAfter(h.get("Retry-After"), clock);
        }

        /** At most {@code requests} per {@code period} from this connection; 0 = no client-side budget. */
        public Builder budget(int requests, Duration period) {
            if (requests < 0 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("budget must be non-negative requests per positive period");
            }
            this.requestsPerPeriod = requests;
            this.period = period;
            return this;
        }

        /** The header whose value 0 means "no requests left", e.g. {@code X-RateLimit-Remaining}. */
        public Builder remainingHeader(String header) {
            this.remainingHeader = header;
            return this;
        }

        /** Reads how long until the limit resets; default: {@code Retry-After}. */
        public Builder resetParser(Function<Headers, Optional<Duration>> parser) {
            this.resetParser = parser;
            return this;
        }

        /** The longest a request waits for a permit or a reset (default two minutes). */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public RateLimitInterceptor build() {
            return new RateLimitInterceptor(this);
        }
    }
}
