package org.itsmhub.plugin.support.http;

import java.time.Duration;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.api.config.ConnectorConfig;

/**
 * The three deadlines of every vendor call, as config keys every connection has: {@value #CONNECT}
 * (TCP and TLS set-up), {@value #READ} (longest silence while waiting for or reading an answer) and
 * {@value #CALL} (the whole call, including a wait for the vendor's rate limit). A vendor that hangs
 * therefore ends a call with a retriable error after at most {@value #CALL}.
 *
 * <p>The same definition adds the cap on one answer's size, {@value ResponseSizeLimit#KEY}
 * ({@link ResponseSizeLimit}), and the certificates to trust, {@value TlsTrust#KEY} ({@link TlsTrust}),
 * so every connection has them without each plugin declaring them.
 */
public final class HttpTimeouts {

    public static final String CONNECT = "timeouts.connect";
    public static final String READ = "timeouts.read";
    public static final String CALL = "timeouts.call";

    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CALL = Duration.ofSeconds(60);

    private static final ConfigValidator POSITIVE = value -> ((Duration) value).isNegative()
            || ((Duration) value).isZero() ? Optional.of("must be longer than zero") : Optional.empty();

    /**
     * The deadlines of one connection, the largest answer it reads ({@value ResponseSizeLimit#KEY}) and
     * the certificates it trusts ({@value TlsTrust#KEY}; null: the JVM's CAs).
     */
    public record Values(Duration connect, Duration read, Duration call, long maxResponseBytes, TlsTrust trust) {

        public Values {
            if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero() || call.isNegative()
                    || call.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("the response size limit must be positive");
            }
        }

        /** The deadlines and response size limit, trusting the JVM's CAs. */
        public Values(Duration connect, Duration read, Duration call, long maxResponseBytes) {
            this(connect, read, call, maxResponseBytes, null);
        }

        /** The deadlines with the default response size limit. */
        public Values(Duration connect, Duration read, Duration call) {
            this(connect, read, call, ResponseSizeLimit.DEFAULT);
        }

        /** The defaults, for code that has no connection config (tests, tools). */
        public static Values defaults() {
            return new Values(DEFAULT_CONNECT, DEFAULT_READ, DEFAULT_CALL);
        }
    }

    private HttpTimeouts() {
    }

    /**
     * Adds the three keys with the shared defaults (and {@value ResponseSizeLimit#KEY} and
     * {@value TlsTrust#KEY}) to a connector's definition.
     */
    public static ConfigDef define(ConfigDef def) {
        return define(def, DEFAULT_CALL, null);
    }

    /**
     * Adds the three keys, with a longer call deadline for a connector whose calls legitimately take
     * longer (a rate-limit wait, a download); {@code why} ends the key's documentation.
     */
    public static ConfigDef define(ConfigDef def, Duration callDefault, String why) {
        return TlsTrust.define(ResponseSizeLimit.define(def.defineOptional(CONNECT, ConfigType.DURATION, DEFAULT_CONNECT,
                        "Longest wait to open a connection to the vendor (TCP and TLS).", POSITIVE)
                .defineOptional(READ, ConfigType.DURATION, DEFAULT_READ,
                        "Longest the vendor may stay silent while the hub waits for or reads an answer.", POSITIVE)
                .defineOptional(CALL, ConfigType.DURATION, callDefault,
                        "Longest one call may take in all, including a wait for the vendor's rate limit"
                                + (why == null ? "." : "; " + why), POSITIVE)));
    }

    /** A connection's deadlines (its values or the declared defaults). */
    public static Values of(ConnectorConfig config) {
        return new Values(config.getDuration(CONNECT), config.getDuration(READ), config.getDuration(CALL),
                config.has(ResponseSizeLimit.KEY) ? ResponseSizeLimit.parse(config.getString(ResponseSizeLimit.KEY)) : ResponseSizeLimit.DEFAULT,
                TlsTrust.of(config).orElse(null));
    }
}
