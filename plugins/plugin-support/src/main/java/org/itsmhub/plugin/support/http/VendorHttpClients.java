package org.itsmhub.plugin.support.http;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import okhttp3.Cache;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.internal.concurrent.TaskQueue;
import okhttp3.internal.concurrent.TaskRunner;

/**
 * One shared OkHttp client per plugin (one connection pool, one dispatcher), with a variant per
 * connection made by {@code newBuilder()}: auth, rate limit and logging as separate interceptors,
 * in that order of application (logging sees the final request but never prints its headers).
 *
 * <p>Every plugin's {@code Plugin.stop()} calls {@link #shutdown()}: OkHttp's threads and pooled
 * connections would otherwise outlive the plugin's class loader (PF4J closes it right after
 * {@code stop()}), and an HTTP/2 connection's reader, still running the plugin's OkHttp, then dies
 * on a class it can no longer load.
 */
public final class VendorHttpClients {

    private static final Logger LOG = LoggerFactory.getLogger(VendorHttpClients.class);
    /** How long {@link #shutdown()} waits for OkHttp's tasks; closing a socket ends its reader at once. */
    private static final long SHUTDOWN_WAIT_MILLIS = 5_000;

    /** Made on first use and again after {@link #shutdown()}, so that a plugin started again gets a working client. */
    private static OkHttpClient shared;

    private VendorHttpClients() {
    }

    /** The plugin-wide client; use {@link #forConnection} for a connection's requests. */
    public static synchronized OkHttpClient shared() {
        if (shared == null) {
            shared = newShared();
        }
        return shared;
    }

    /**
     * Releases the plugin-wide client the way OkHttp documents it (see {@link OkHttpClient}: shut the
     * dispatcher's executor down, evict the pool's connections, close the cache) and waits, at most
     * a few seconds, until OkHttp's own threads have finished what they were running, so that no
     * HTTP/2 reader outlives the plugin. Clients made by {@link #forConnection} before must not be
     * used afterwards (their connectors are closed before the plugin stops); the next call to
     * {@link #shared()} or {@link #forConnection} makes a new client. Idle OkHttp and Okio threads
     * end by themselves within a minute, running no plugin code. Does nothing when no client was made.
     */
    public static void shutdown() {
        OkHttpClient client;
        synchronized (VendorHttpClients.class) {
            client = shared;
            shared = null;
        }
        if (client == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MILLIS);
        client.dispatcher().cancelAll();
        ExecutorService dispatcher = client.dispatcher().executorService();
        dispatcher.shutdown();
        Cache cache = client.cache();
        if (cache != null) {
            try {
                cache.close();
            } catch (IOException e) {
                LOG.debug("Cannot close the HTTP cache: {}", e.toString());
            }
        }
        try {
            if (!dispatcher.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("OkHttp calls still running {} ms after the plugin stopped", SHUTDOWN_WAIT_MILLIS);
            }
            if (evictAll(client.connectionPool(), deadline)) {
                awaitTasks(deadline);
            } else {
                LOG.warn("{} HTTP connection(s) still in use {} ms after the plugin stopped",
                        client.connectionPool().connectionCount(), SHUTDOWN_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes every pooled connection. {@code evictAll()} skips a connection a call still holds (one
     * just cancelled releases it a moment later), hence again until none is left or the deadline.
     */
    private static boolean evictAll(ConnectionPool pool, long deadline) throws InterruptedException {
        pool.evictAll();
        while (pool.connectionCount() > 0) {
            if (remaining(deadline) == 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
            pool.evictAll();
        }
        return true;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * Waits until OkHttp's task threads have run what is due, the readers of the connections just
     * closed included. OkHttp has no public way to wait for them; {@code TaskQueue.idleLatch()} is
     * the one its own tests use. The task runner is this plugin's own (OkHttp is in the plugin's
     * lib/), so nothing else is waited for there.
     */
    private static void awaitTasks(long deadline) throws InterruptedException {
        for (TaskQueue queue : TaskRunner.INSTANCE.activeQueues()) {
            CountDownLatch idle = queue.idleLatch();
            if (!idle.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("OkHttp task queue {} still busy {} ms after the plugin stopped", queue, SHUTDOWN_WAIT_MILLIS);
                return;
            }
        }
    }

    private static OkHttpClient newShared() {
        return new OkHttpClient.Builder()
                .connectTimeout(HttpTimeouts.DEFAULT_CONNECT)
                .readTimeout(HttpTimeouts.DEFAULT_READ)
                .writeTimeout(HttpTimeouts.DEFAULT_READ)
                .callTimeout(HttpTimeouts.DEFAULT_CALL)
                .retryOnConnectionFailure(false) // the hub retries, with backoff, after classifying
                // idle connections are dropped before servers typically close them (30-60 s), so a call
                // after a long rate-limit wait does not meet a dead pooled connection
                .connectionPool(new ConnectionPool(5, 20, TimeUnit.SECONDS))
                .build();
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
        OkHttpClient.Builder b = shared().newBuilder();
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
