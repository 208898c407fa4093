package org.itsmhub.plugin.servicenow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.transport.http.HTTPConduitConfigurer;
import org.itsmhub.plugin.support.http.TlsTrust;

/**
 * camel-servicenow fetches its OAuth token with a bare CXF client that ignores the endpoint's
 * {@code sslContextParameters}, so a connection's {@value TlsTrust#KEY} would not reach it. A
 * configurer on CXF's default bus (the one that client uses; CXF is bundled, so the bus is this
 * plugin's own) gives each token URL's conduit the trust registered for it. The host name is still
 * verified (CXF's check stays on).
 */
final class CamelOAuthTrust {

    private static final Map<String, TLSClientParameters> BY_TOKEN_URL = new ConcurrentHashMap<>();
    private static boolean installed;

    private CamelOAuthTrust() {
    }

    /** Makes camel-servicenow's token requests to {@code tokenUrl} trust {@code trust}; returns what {@link #forget} takes. */
    static TLSClientParameters trust(String tokenUrl, TlsTrust trust) {
        install();
        TLSClientParameters tls = new TLSClientParameters();
        tls.setSSLSocketFactory(trust.socketFactory());
        BY_TOKEN_URL.put(tokenUrl, tls);
        return tls;
    }

    /** Undoes {@link #trust} unless another connection registered the same URL since. */
    static void forget(String tokenUrl, TLSClientParameters tls) {
        BY_TOKEN_URL.remove(tokenUrl, tls);
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        Bus bus = BusFactory.getDefaultBus(true);
        HTTPConduitConfigurer before = bus.getExtension(HTTPConduitConfigurer.class);
        bus.setExtension((HTTPConduitConfigurer) (name, address, conduit) -> {
            if (before != null) {
                before.configure(name, address, conduit);
            }
            TLSClientParameters tls = address == null ? null : BY_TOKEN_URL.get(address);
            if (tls != null) {
                conduit.setTlsClientParameters(tls);
            }
        }, HTTPConduitConfigurer.class);
        installed = true;
    }
}
