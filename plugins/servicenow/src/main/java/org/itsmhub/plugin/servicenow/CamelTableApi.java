package org.itsmhub.plugin.servicenow;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.servicenow.ServiceNowComponent;
import org.apache.camel.component.servicenow.ServiceNowConfiguration;
import org.apache.camel.component.servicenow.ServiceNowConstants;
import org.apache.camel.component.servicenow.ServiceNowEndpoint;
import org.apache.camel.component.servicenow.ServiceNowException;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.plugin.support.http.HttpTimeouts;
import org.itsmhub.plugin.support.http.RateLimitInterceptor;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.ws.rs.client.ResponseProcessingException;
import okhttp3.Headers;

/**
 * The Table API calls made through camel-servicenow, on a producer of this connection created on
 * first use with the host's Camel context. The component (scheme {@value #SCHEME}) is the connection's
 * own and never registered in that context, which outlives the plugin: a registered one would keep the
 * plugin's class loader after unloading, and the plugin loaded again would find it under the scheme. The
 * component's errors carry the status and the vendor's message but no response headers, so a 429
 * here has no retry-after; the connection's rate-limit state (fed by the OkHttp reads) is honoured
 * before each call.
 *
 * <p>Every call is bounded by the connection's {@link HttpTimeouts}: CXF's connection and receive
 * timeouts, and the call deadline enforced here (the call runs on a worker thread the caller waits
 * for), since CXF has no deadline for a whole call.
 */
final class CamelTableApi implements AutoCloseable {

    static final String SCHEME = "itsmhub-servicenow";

    private static final Logger LOG = LoggerFactory.getLogger(CamelTableApi.class);
    private static final AtomicInteger WORKERS = new AtomicInteger();

    private final CamelContext camel;
    private final String instanceUrl;
    private final ConnectorConfig config;
    private final ServiceNowErrorClassifier classifier;
    private final RateLimitInterceptor rateLimit;
    private final Clock clock;
    private final Runnable probe;
    private final HttpTimeouts.Values timeouts;
    /** The connection's CXF conduits, with its {@value TlsTrust#KEY}. */
    private final CamelConduits conduits;
    /**
     * Runs the calls so that the caller can stop waiting at the deadline. The connection's own, shut
     * down by {@link #close()}: its threads carry the plugin's class loader as context loader.
     */
    private ExecutorService calls;
    private ServiceNowComponent component;
    private Endpoint endpoint;
    private Producer producer;

    CamelTableApi(CamelContext camel, ConnectorConfig config, ServiceNowErrorClassifier classifier,
            RateLimitInterceptor rateLimit, Clock clock, Runnable probe) {
        this.camel = camel;
        this.probe = probe;
        this.instanceUrl = config.getUrl(ServiceNowConnectorConfig.INSTANCE_URL).toString().replaceAll("/+$", "");
        this.config = config;
        this.classifier = classifier;
        this.rateLimit = rateLimit;
        this.clock = clock;
        this.timeouts = HttpTimeouts.of(config);
        this.conduits = new CamelConduits(timeouts.trust());
    }

    /** Makes the Camel-backed calls of a client, given the client's cheap probe call. */
    @FunctionalInterface
    interface Factory {
        CamelTableApi create(Runnable probe);
    }

    /**
     * Sends one Table API exchange and returns the {@code result} as JSON text.
     *
     * @param action  {@code retrieve}, {@code create} or {@code update} (PATCH)
     * @param headers further {@code CamelServiceNow*} headers (table, sys_id, sysparm_*)
     */
    String call(String operation, String action, Map<String, Object> headers, Object body) {
        Duration blocked = Duration.between(clock.instant(), rateLimit.blockedUntil());
        if (blocked.compareTo(Duration.ZERO) > 0) {
            throw new RetriableException("ServiceNow " + operation + " not sent: the instance's rate limit resets in "
                    + blocked.toSeconds() + " s", blocked, null);
        }
        Producer p = producer();
        Exchange exchange = p.getEndpoint().createExchange();
        exchange.getIn().setHeader(ServiceNowConstants.RESOURCE, ServiceNowConstants.RESOURCE_TABLE);
        exchange.getIn().setHeader(ServiceNowConstants.ACTION, action);
        exchange.getIn().setHeader(ServiceNowConstants.REQUEST_MODEL, Map.class);
        exchange.getIn().setHeader(ServiceNowConstants.RESPONSE_MODEL, String.class);
        exchange.getIn().setHeader(ServiceNowConstants.SYSPARM_DISPLAY_VALUE, "false");
        exchange.getIn().setHeader(ServiceNowConstants.SYSPARM_EXCLUDE_REFERENCE_LINK, Boolean.TRUE);
        exchange.getIn().getHeaders().putAll(headers);
        exchange.getIn().setBody(body);
        processWithinDeadline(operation, p, exchange);
        if (exchange.getException() != null) {
            throw classify(operation, exchange.getException());
        }
        Object result = exchange.getIn().getBody();
        return result == null ? null : result.toString();
    }

    private void processWithinDeadline(String operation, Producer p, Exchange exchange) {
        // the worker runs plugin code: it needs the caller's context classloader (see STACK-NOTES trap 2)
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Future<?> call = calls().submit(() -> {
            Thread worker = Thread.currentThread();
            ClassLoader before = worker.getContextClassLoader();
            worker.setContextClassLoader(loader);
            try {
                // camel-servicenow makes its OAuth token client during the call
                conduits.within(() -> {
                    p.process(exchange);
                    return null;
                });
            } catch (Exception e) {
                exchange.setException(e);
            } finally {
                worker.setContextClassLoader(before);
            }
        });
        try {
            call.get(timeouts.call().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new RetriableException("ServiceNow " + operation + " failed: no answer within "
                    + HttpTimeouts.CALL + " (" + timeouts.call().toSeconds() + " s)", e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new RetriableException("ServiceNow " + operation + " was interrupted", e);
        } catch (ExecutionException e) {
            exchange.setException(e.getCause());
        }
    }

    ConnectorException classify(String operation, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectorException ce) {
                return ce;
            }
            if (t instanceof ServiceNowException sne) {
                String message = sne.getDetail() == null ? sne.getMessage() : sne.getMessage() + ": " + sne.getDetail();
                Object error = sne.getAttributes().get("error");
                if (error instanceof Map<?, ?> m) {
                    message = m.get("message") + (m.get("detail") == null ? "" : ": " + m.get("detail"));
                }
                return classifier.classify(operation, sne.getCode(), Headers.of(), message == null ? "" : message);
            }
            if (t instanceof ResponseProcessingException rpe && rpe.getResponse() != null
                    && rpe.getResponse().getStatus() >= 300) {
                return classifier.classify(operation, rpe.getResponse().getStatus(), Headers.of(), "");
            }
            if (t instanceof JsonProcessingException) {
                return classifier.malformed(operation, t.getMessage());
            }
            if (t instanceof IOException io) {
                return classifier.io(operation, io);
            }
        }
        if (failure instanceof NullPointerException && unreadableErrorBody(failure)) {
            return diagnose(operation, failure);
        }
        return new ConnectorException("ServiceNow " + operation + " failed: " + failure.getClass().getSimpleName(),
                failure);
    }

    /**
     * camel-servicenow 4.17 reads a 4xx error body into its model and sometimes gets null (then fails
     * with a NullPointerException), losing the status. One cheap authenticated read tells whether the
     * credentials, the rate limit or the instance are the problem; if that read works, the instance
     * rejected this write itself.
     */
    private ConnectorException diagnose(String operation, Throwable failure) {
        LOG.debug("camel-servicenow could not read the error answer to '{}'; probing the connection", operation);
        try {
            probe.run();
        } catch (ConnectorException probeFailure) {
            if (probeFailure instanceof org.itsmhub.api.error.AuthenticationException || probeFailure.isRetriable()) {
                return probeFailure;
            }
        }
        return new org.itsmhub.api.error.DataMappingException("ServiceNow " + operation + " was rejected with an "
                + "error response camel-servicenow could not read (the connection itself works)", failure);
    }

    private static boolean unreadableErrorBody(Throwable npe) {
        for (StackTraceElement e : npe.getStackTrace()) {
            if (e.getClassName().equals("org.apache.camel.component.servicenow.ServiceNowClient")) {
                return true;
            }
        }
        return false;
    }

    private synchronized Producer producer() {
        if (producer != null) {
            return producer;
        }
        long start = System.nanoTime();
        try {
            if (component == null) {
                component = new ServiceNowComponent(camel);
                ServiceHelper.startService(component);
            }
            // No credential in the URI: endpoint URIs show up in Camel's logs and management.
            ServiceNowEndpoint ep = (ServiceNowEndpoint) component.createEndpoint(SCHEME + ":itsmhub");
            ServiceNowConfiguration c = ep.getConfiguration();
            c.setApiUrl(instanceUrl + "/api");
            c.setUserName(config.getString(ServiceNowConnectorConfig.AUTH_USER));
            c.setPassword(config.getSecret(ServiceNowConnectorConfig.AUTH_PASSWORD).reveal());
            String tokenUrl = config.has(ServiceNowConnectorConfig.OAUTH_TOKEN_URL)
                    ? config.getUrl(ServiceNowConnectorConfig.OAUTH_TOKEN_URL).toString()
                    : instanceUrl + "/oauth_token.do";
            config.findString(ServiceNowConnectorConfig.OAUTH_CLIENT_ID).ifPresent(id -> {
                c.setOauthClientId(id);
                c.setOauthClientSecret(config.findSecret(ServiceNowConnectorConfig.OAUTH_CLIENT_SECRET)
                        .map(Secret::reveal).orElse(null));
                c.setOauthTokenUrl(tokenUrl);
            });
            // no sslContextParameters: the trust reaches CXF through CamelConduits, which keeps PATCH working
            c.setResource(ServiceNowConstants.RESOURCE_TABLE);
            c.setTable(config.getString(ServiceNowConnectorConfig.TABLE));
            c.setHttpClientPolicy(clientPolicy(timeouts));
            // the producer's CXF client (and its conduit) is made here
            Producer made = conduits.within(() -> {
                Producer p = ep.createProducer();
                CamelContextAware.trySetCamelContext(p, camel);
                ServiceHelper.startService(ep, p);
                return p;
            });
            endpoint = ep;
            producer = made;
            LOG.debug("ServiceNow Table API producer ready in {} ms", (System.nanoTime() - start) / 1_000_000);
            return producer;
        } catch (ConnectorException e) {
            throw e;
        } catch (Exception e) {
            throw new ConnectorException("cannot set up the ServiceNow Table API client: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    /**
     * HTTP/1.1 with a Content-Length: CXF's JDK HttpClient otherwise offers an h2c upgrade on http and
     * sends bodies over its 4 KB threshold chunked, which some servers reset or cut. Bodies are small
     * enough to be buffered whole.
     */
    static HTTPClientPolicy clientPolicy(HttpTimeouts.Values timeouts) {
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setVersion("1.1");
        policy.setAllowChunking(false);
        policy.setConnectionTimeout(timeouts.connect().toMillis());
        policy.setReceiveTimeout(timeouts.read().toMillis());
        return policy;
    }

    /** When the producer was made, for diagnostics. */
    synchronized boolean started() {
        return producer != null;
    }

    private synchronized ExecutorService calls() {
        if (calls == null) {
            calls = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "servicenow-call-" + WORKERS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return calls;
    }

    /**
     * Stops the producer, closes the connection's CXF conduits (ending their HttpClients' threads) and
     * ends the call threads, interrupting a call still running. Using the connection again sets it up anew.
     */
    @Override
    public synchronized void close() {
        ServiceHelper.stopAndShutdownServices(producer, endpoint, component);
        producer = null;
        endpoint = null;
        component = null;
        conduits.close();
        if (calls != null) {
            calls.shutdownNow();
            calls = null;
        }
    }

}
