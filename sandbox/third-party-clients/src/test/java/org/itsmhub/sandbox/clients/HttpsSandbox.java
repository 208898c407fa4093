package org.itsmhub.sandbox.clients;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.itsmhub.sandbox.SandboxCertificate;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;

/**
 * A sandbox started in https mode for a third-party client, with the trust material that client needs
 * to trust exactly the sandbox's certificate (the way a user would: from the files the sandbox writes,
 * never by turning verification off).
 */
public final class HttpsSandbox<S extends VendorSandbox> implements AutoCloseable {

    private final S sandbox;
    private final java.util.List<jakarta.ws.rs.client.Client> jaxRsClients = new java.util.ArrayList<>();
    private final X509TrustManager trustManager;
    private final SSLContext sslContext;

    private HttpsSandbox(S sandbox) {
        this.sandbox = sandbox;
        SandboxCertificate certificate = sandbox.certificate().orElseThrow();
        try (InputStream in = Files.newInputStream(certificate.trustStore())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(in, SandboxCertificate.STORE_PASSWORD.toCharArray());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            this.trustManager = (X509TrustManager) factory.getTrustManagers()[0];
            this.sslContext = SSLContext.getInstance("TLS");
            sslContext.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a sandbox made by {@code factory} with https on, its certificate written into {@code dir}.
     * {@code options} may carry seeds, a rate limit and so on; https is added.
     */
    public static <S extends VendorSandbox> HttpsSandbox<S> start(Function<SandboxOptions, S> factory,
            SandboxOptions options, Path dir) {
        S sandbox = factory.apply(options.withTls(dir));
        sandbox.start();
        return new HttpsSandbox<>(sandbox);
    }

    public S sandbox() {
        return sandbox;
    }

    /** {@code https://127.0.0.1:PORT}. */
    public String baseUrl() {
        return sandbox.baseUrl();
    }

    /** Trusts only the sandbox's certificate. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** An SSL context trusting only the sandbox's certificate. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The PEM file of the sandbox's certificate. */
    public Path pem() {
        return sandbox.certificate().orElseThrow().pem();
    }

    /** The PKCS#12 trust store holding only the sandbox's certificate (password {@value SandboxCertificate#STORE_PASSWORD}). */
    public Path trustStore() {
        return sandbox.certificate().orElseThrow().trustStore();
    }

    /**
     * A standard JAX-RS client (Jersey, with Jackson) trusting only the sandbox's certificate, for vendors
     * without a Java client of their own; closed with the sandbox.
     *
     * @param features e.g. Jersey's {@code HttpAuthenticationFeature.basic(user, password)}
     */
    public jakarta.ws.rs.client.Client jaxRsClient(Object... features) {
        jakarta.ws.rs.client.ClientBuilder builder = jakarta.ws.rs.client.ClientBuilder.newBuilder()
                .sslContext(sslContext).register(org.glassfish.jersey.jackson.JacksonFeature.class);
        for (Object feature : features) {
            builder.register(feature);
        }
        jakarta.ws.rs.client.Client client = builder.build();
        jaxRsClients.add(client);
        return client;
    }

    /** Every request the sandbox recorded, oldest first (WireMock's own journal lists newest first). */
    public java.util.List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> journal() {
        java.util.List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> events =
                new java.util.ArrayList<>(sandbox.wiremock().getAllServeEvents());
        java.util.Collections.reverse(events);
        return events;
    }

    @Override
    public void close() {
        jaxRsClients.forEach(jakarta.ws.rs.client.Client::close);
        sandbox.close();
    }
}
