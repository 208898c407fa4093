package org.itsmhub.plugin.servicenow;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.plugin.servicenow.dto.ErrorBody;
import org.itsmhub.plugin.support.http.HttpErrorClassifier;
import org.itsmhub.plugin.support.http.TlsTrust;

import okhttp3.Headers;

/**
 * ServiceNow failures in the hub's terms. Reads the error envelope
 * {@code {"error":{"message","detail"},"status":"failure"}} and, on 429, {@code Retry-After} or else
 * {@code X-RateLimit-Reset} (UTC epoch seconds).
 */
public class ServiceNowErrorClassifier extends HttpErrorClassifier {

    /** How the JDK's host name check ({@code HostnameChecker}) refuses a certificate. */
    private static final List<String> JDK_WRONG_HOST = List.of("No name matching ",
            "No subject alternative DNS name matching ", "No subject alternative names matching IP address ",
            "No subject alternative names present");

    private final Clock clock;

    public ServiceNowErrorClassifier(Clock clock) {
        super("ServiceNow", clock, ServiceNowConnectorConfig.INSTANCE_URL, ServiceNowConnectorConfig.AUTH_PASSWORD);
        this.clock = clock;
    }

    /**
     * camel-servicenow's CXF client sends over the JDK HttpClient, which leaves the host name check to the
     * JDK: a certificate for another host fails as a {@code CertificateException}, like an untrusted one,
     * and is told apart by the JDK's text.
     */
    @Override
    public ConnectorException io(String operation, IOException e) {
        boolean handshake = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            handshake |= t instanceof SSLException;
            String message = t.getMessage();
            if (handshake && t instanceof CertificateException && message != null
                    && JDK_WRONG_HOST.stream().anyMatch(message::startsWith)) {
                return new TlsTrust.UntrustedCertificateException(ServiceNowConnectorConfig.INSTANCE_URL, "ServiceNow "
                        + operation + " failed: TLS: the server's certificate is not issued for the host it was reached"
                        + " at; check " + ServiceNowConnectorConfig.INSTANCE_URL + " (" + TlsTrust.KEY
                        + " never waives the host name check)", e);
            }
        }
        return super.io(operation, e);
    }

    @Override
    protected String vendorMessage(String body) {
        return ErrorBody.parse(body).map(ErrorBody::summary).orElseGet(() -> super.vendorMessage(body));
    }

    @Override
    public Optional<Duration> retryAfter(Headers headers) {
        Optional<Duration> retryAfter = super.retryAfter(headers);
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        String reset = headers.get("X-RateLimit-Reset");
        if (reset == null) {
            return Optional.empty();
        }
        try {
            Duration d = Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
