package org.itsmhub.plugin.servicenow;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;

import javax.net.ssl.TrustManager;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.transport.http.HTTPConduitConfigurer;
import org.itsmhub.plugin.support.http.TlsTrust;

/**
 * A connection's {@value TlsTrust#KEY} for camel-servicenow's CXF clients: the Table API client and the
 * bare client its OAuth token call makes (which ignores the endpoint's settings).
 *
 * <p>The trust goes to CXF as trust managers only. The endpoint's {@code sslContextParameters} would hand
 * CXF an {@code SSLSocketFactory}, and with one CXF leaves its JDK HttpClient conduit for
 * {@code HttpURLConnection}, which cannot send PATCH (every Table API update). Without a socket factory
 * CXF keeps the HttpClient, and the JDK still checks the host name.
 *
 * <p>A configurer on the CXF bus gives a conduit the trust when the conduit is made. Conduits are made
 * on the thread that sets up a connection's producer or makes its call (the token client, on the first
 * call and on a refresh), so the trust applied is the one of the connection {@link #within} runs for on
 * that thread: two connections never get each other's trust, not even for the same URL. CXF is bundled,
 * so the bus is this plugin's own.
 */
final class CamelTlsTrust {

    private static final ThreadLocal<TLSClientParameters> CURRENT = new ThreadLocal<>();
    private static final Set<Bus> CONFIGURED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private CamelTlsTrust() {
    }

    /** What {@link #within} takes for a connection with {@code trust}. */
    static TLSClientParameters parameters(TlsTrust trust) {
        TLSClientParameters tls = new TLSClientParameters();
        tls.setTrustManagers(new TrustManager[] {trust.trustManager()});
        return tls;
    }

    /**
     * Runs {@code work} so that every CXF conduit it makes trusts {@code tls}; with {@code tls} null,
     * just runs it.
     */
    static <T> T within(TLSClientParameters tls, Callable<T> work) throws Exception {
        if (tls == null) {
            return work.call();
        }
        configure(BusFactory.getThreadDefaultBus(true));
        TLSClientParameters before = CURRENT.get();
        CURRENT.set(tls);
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

    private static void configure(Bus bus) {
        synchronized (CONFIGURED) {
            if (!CONFIGURED.add(bus)) {
                return;
            }
            HTTPConduitConfigurer before = bus.getExtension(HTTPConduitConfigurer.class);
            bus.setExtension((HTTPConduitConfigurer) (name, address, conduit) -> {
                if (before != null) {
                    before.configure(name, address, conduit);
                }
                TLSClientParameters tls = CURRENT.get();
                if (tls != null) {
                    conduit.setTlsClientParameters(tls);
                }
            }, HTTPConduitConfigurer.class);
        }
    }
}
