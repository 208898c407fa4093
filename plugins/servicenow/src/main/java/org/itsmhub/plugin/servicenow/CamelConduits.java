package org.itsmhub.plugin.servicenow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;

import javax.net.ssl.TrustManager;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPConduitConfigurer;
import org.itsmhub.plugin.support.http.TlsTrust;

/**
 * The CXF conduits of one connection's camel-servicenow clients: the Table API client and the bare
 * client camel-servicenow makes for each OAuth token request (which ignores the endpoint's settings).
 *
 * <p>A configurer on the CXF bus hands a conduit, when it is made, to the connection {@link #within}
 * runs for on that thread. Conduits are made on the thread that sets up a connection's producer or
 * makes its call (the token client, on the first call and on a refresh), so two connections never get
 * each other's conduits, not even for the same URL. CXF is bundled, so the bus is this plugin's own.
 *
 * <p><b>Trust.</b> The connection's {@value TlsTrust#KEY} goes to CXF as trust managers only. The
 * endpoint's {@code sslContextParameters} would hand CXF an {@code SSLSocketFactory}, and with one CXF
 * leaves its JDK HttpClient conduit for {@code HttpURLConnection}, which cannot send PATCH (every Table
 * API update). Without a socket factory CXF keeps the HttpClient, and the JDK still checks the host name.
 *
 * <p><b>Closing.</b> camel-servicenow never closes its CXF clients, and each conduit's JDK HttpClient
 * has a selector thread and a worker pool (made with the plugin's class loader as context loader) that
 * end only when the conduit is closed. CXF by default shares HttpClients between conduits in a static
 * cache, where an entry stays until every conduit using it is closed; a token client is dropped after
 * its one request without being closed, so a shared HttpClient would never go. Hence the bus is told
 * not to share ({@value #SHARE_HTTPCLIENT}): a dropped token conduit's HttpClient ends once both are
 * collected, and {@link #close()} closes every conduit of the connection still there.
 */
final class CamelConduits implements AutoCloseable {

    /** CXF's contextual property, read from the bus too: whether a conduit may share a cached HttpClient. */
    static final String SHARE_HTTPCLIENT = "share.httpclient.http.conduit";

    private static final ThreadLocal<CamelConduits> CURRENT = new ThreadLocal<>();
    private static final Set<Bus> CONFIGURED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** The connection's trust, or null for the JVM's. */
    private final TLSClientParameters tls;
    /** Weakly: a token client's conduit is dropped by camel-servicenow after its request. */
    private final Set<HTTPConduit> made = Collections.newSetFromMap(new WeakHashMap<>());

    /** @param trust the connection's {@value TlsTrust#KEY}, or null */
    CamelConduits(TlsTrust trust) {
        this.tls = trust == null ? null : parameters(trust);
    }

    private static TLSClientParameters parameters(TlsTrust trust) {
        TLSClientParameters tls = new TLSClientParameters();
        tls.setTrustManagers(new TrustManager[] {trust.trustManager()});
        return tls;
    }

    /** Runs {@code work} so that every CXF conduit it makes on this thread is this connection's. */
    <T> T within(Callable<T> work) throws Exception {
        configure(BusFactory.getThreadDefaultBus(true));
        CamelConduits before = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.call();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    private synchronized void adopt(HTTPConduit conduit) {
        if (tls != null) {
            conduit.setTlsClientParameters(tls);
        }
        made.add(conduit);
    }

    /**
     * Closes the connection's conduits, ending their HttpClients' threads; a conduit made afterwards
     * (the connection used again) is kept for the next close.
     */
    @Override
    public void close() {
        List<HTTPConduit> conduits;
        synchronized (this) {
            conduits = new ArrayList<>(made);
            made.clear();
        }
        conduits.forEach(HTTPConduit::close);
    }

    private static void configure(Bus bus) {
        synchronized (CONFIGURED) {
            if (!CONFIGURED.add(bus)) {
                return;
            }
            bus.setProperty(SHARE_HTTPCLIENT, Boolean.FALSE);
            HTTPConduitConfigurer before = bus.getExtension(HTTPConduitConfigurer.class);
            bus.setExtension((HTTPConduitConfigurer) (name, address, conduit) -> {
                if (before != null) {
                    before.configure(name, address, conduit);
                }
                CamelConduits connection = CURRENT.get();
                if (connection != null) {
                    connection.adopt(conduit);
                }
            }, HTTPConduitConfigurer.class);
        }
    }
}
