package org.itsmhub.plugin.support.http;

import java.util.concurrent.TimeUnit;

import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * One shared OkHttp client per plugin (one connection pool, one dispatcher), with a variant per
 * connection made by {@code newBuilder()}: auth, rate limit and logging as separate interceptors,
 * in that order of application (logging sees the final request but never prints its headers).
 */
public final class VendorHttpClients {

    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
            .connectTimeout(HttpTimeouts.DEFAULT_CONNECT)
            .readTimeout(HttpTimeouts.DEFAULT_READ)
            .writeTimeout(HttpTimeouts.DEFAULT_READ)
            .callTimeout(HttpTimeouts.DEFAULT_CALL)
            .retryOnConnectionFailure(false) // the hub retries, with backoff, after classifying
            // idle connections are dropped before servers typically close them (30-60 s), so a call
            // after a long rate-limit wait does not meet a dead pooled connection
            .connectionPool(new ConnectionPool(5, 20, TimeUnit.SECONDS))
            .build();

    private VendorHttpClients() {
    }

    /** The plugin-wide client; use {@link #forConnection} for a connection's requests. */
    public static OkHttpClient shared() {
        return SHARED;
    }

    /**
     * A client for one connection.
     *
     * @param vendor      vendor name for the logger ({@code org.itsmhub.plugin.<vendor>.http})
     * @param auth        adds credentials, or null
     * @param rateLimit   the connection's rate limiter, or null
     * @param timeouts    the connection's deadlines ({@link HttpTimeouts#of}); the call deadline
     *                    includes a rate-limit wait. Its response size limit applies to every answer
     *                    ({@link ResponseSizeLimit}); its {@link TlsTrust}, when set, replaces the
     *                    JVM's CAs (the host name is still verified).
     */
    public static OkHttpClient forConnection(String vendor, Interceptor auth, RateLimitInterceptor rateLimit,
            HttpTimeouts.Values timeouts) {
        OkHttpClient.Builder b = SHARED.newBuilder();
        // outermost, so that every reader (error texts included) gets the counted body
        b.addInterceptor(new ResponseSizeLimit(vendor, timeouts.maxResponseBytes()));
        b.addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                .header("User-Agent", "itsm-hub (" + vendor + " connector)").build()));
        if (rateLimit != null) {
            b.addInterceptor(rateLimit);
        }
        if (auth != null) {
            b.addInterceptor(auth);
        }
        b.addInterceptor(new RedactingLoggingInterceptor(vendor));
        b.connectTimeout(timeouts.connect()).readTimeout(timeouts.read()).writeTimeout(timeouts.read())
                .callTimeout(timeouts.call());
        if (timeouts.trust() != null) {
            b.sslSocketFactory(timeouts.trust().socketFactory(), timeouts.trust().trustManager());
        }
        return b.build();
    }
}
