package org.itsmhub.plugin.support.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;

import okhttp3.Headers;

/**
 * Turns a vendor's HTTP failure into the hub's error hierarchy: 401/403 → authentication (never
 * retried), 408/425/429/5xx and I/O errors → retriable (with the vendor's {@code Retry-After}),
 * 400/409/422 → data, a refused server certificate and anything else → permanent. Each plugin's {@code <Vendor>ErrorClassifier}
 * extends this and overrides {@link #vendorMessage(String)} to pull the message out of its error
 * envelope, and {@link #retryAfter(Headers)} where the vendor uses other headers.
 *
 * <p>Messages name the vendor, the operation and the status or cause, plus the vendor's own message
 * and, where one config key is the likely culprit, that key ("check auth.password"); never a request
 * header, so never a credential. They are one line, so that a failing call costs one log line.
 */
public class HttpErrorClassifier {

    private static final int MAX_MESSAGE = 300;

    private final String vendor;
    private final Clock clock;
    private final String addressKey;
    private final String credentialKey;

    public HttpErrorClassifier(String vendor, Clock clock) {
        this(vendor, clock, null, null);
    }

    /**
     * @param addressKey    the config key of the vendor's address, named when it cannot be reached
     * @param credentialKey the config key of the credential, named when the vendor refuses it
     */
    public HttpErrorClassifier(String vendor, Clock clock, String addressKey, String credentialKey) {
        this.vendor = vendor;
        this.clock = clock;
        this.addressKey = addressKey;
        this.credentialKey = credentialKey;
    }

    /** The error for a non-2xx answer. */
    public ConnectorException classify(String operation, int status, Headers headers, String body) {
        String detail = vendorMessage(body == null ? "" : body);
        String message = vendor + " " + operation + " failed: HTTP " + status
                + (detail.isBlank() ? "" : " " + truncate(detail));
        if (status == 401) {
            return new AuthenticationException(message + check(credentialKey));
        }
        if (status == 403) {
            return new AuthenticationException(message + (credentialKey == null ? ""
                    : "; check the permissions of the account of " + credentialKey));
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new RetriableException(message, retryAfter(headers).orElse(null), null);
        }
        if (status == 400 || status == 409 || status == 422) {
            return new DataMappingException(message);
        }
        return new ConnectorException(message);
    }

    /**
     * The error for a request that got no answer: retriable (timeout, connection refused, reset),
     * except a refused server certificate ({@link TlsTrust.UntrustedCertificateException}), which a
     * retry would only meet again.
     */
    public ConnectorException io(String operation, IOException e) {
        TlsTrust.UntrustedCertificateException refused = certificateRefused(operation, e);
        if (refused != null) {
            return refused;
        }
        Throwable cause = telling(e);
        String hint;
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException || cause instanceof javax.net.ssl.SSLException
                || cause instanceof UnresolvedAddressException) {
            hint = check(addressKey);
        } else if (cause instanceof InterruptedIOException || cause instanceof HttpTimeoutException) {
            hint = "; no answer in time (timeouts.connect, timeouts.read, timeouts.call)";
        } else {
            hint = "";
        }
        return new RetriableException(vendor + " " + operation + " failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + truncate(cause.getMessage())) + hint, e);
    }

    /**
     * The handshake failed over the server's certificate: outside the trust (a PKIX or a custom trust
     * manager's {@code CertificateException}), or issued for another host (OkHttp's host name check, or
     * CXF's, whose text would advise switching the check off).
     */
    private TlsTrust.UntrustedCertificateException certificateRefused(String operation, IOException e) {
        boolean handshake = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof SSLPeerUnverifiedException && message.startsWith("Hostname ")) {
                return wrongHost(operation, "host " + message.split("\\s+")[1], e);
            }
            if (message.contains("does not match the Common Name (CN) on the server certificate")
                    || message.contains("HTTPS hostname wrong")) {
                return wrongHost(operation, "the host it was reached at", e);
            }
            handshake |= t instanceof SSLException;
            if (handshake && (t instanceof CertificateException || t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException)) {
                return new TlsTrust.UntrustedCertificateException(TlsTrust.KEY, vendor + " " + operation + " failed: "
                        + notTrusted(), e);
            }
        }
        return null;
    }

    private TlsTrust.UntrustedCertificateException wrongHost(String operation, String host, IOException e) {
        return new TlsTrust.UntrustedCertificateException(addressKey, vendor + " " + operation + " failed: TLS: the"
                + " server's certificate is not issued for " + host + check(addressKey) + " (" + TlsTrust.KEY
                + " never waives the host name check)", e);
    }

    /**
     * What a call refused over an untrusted server certificate says after "failed: "; a plugin with
     * another way to trust a server overrides it to name that key too.
     */
    protected String notTrusted() {
        return TlsTrust.NOT_TRUSTED;
    }

    /**
     * The exception that says what happened: the first of a known kind in the chain, else the given one
     * unless it is CXF's wrapper ({@code IOException invoking <url>: ...}), whose cause is told instead.
     */
    private static Throwable telling(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof javax.net.ssl.SSLException || t instanceof UnresolvedAddressException
                    || t instanceof InterruptedIOException || t instanceof HttpTimeoutException) {
                return t;
            }
        }
        boolean cxfWrapper = e.getClass() == IOException.class && e.getCause() != null && e.getMessage() != null
                && e.getMessage().startsWith("IOException invoking ");
        return cxfWrapper ? e.getCause() : e;
    }

    private static String check(String key) {
        return key == null ? "" : "; check " + key;
    }

    /** The error for an answer that arrived but could not be read. */
    public DataMappingException malformed(String operation, String what) {
        return new DataMappingException(vendor + " " + operation + " returned a malformed body: " + truncate(what));
    }

    /**
     * The vendor's own error text from an error body; by default the body itself (short bodies
     * only). Plugins override this to read their vendor's error envelope.
     */
    protected String vendorMessage(String body) {
        String trimmed = body.strip();
        return trimmed.startsWith("<") ? "" : trimmed; // an HTML error page helps nobody
    }

    /**
     * How long the vendor asked us to wait: {@code Retry-After} as seconds or as an HTTP date.
     */
    public Optional<Duration> retryAfter(Headers headers) {
        return parseRetryAfter(headers.get("Retry-After"), clock);
    }

    /** Parses a {@code Retry-After} value: delta-seconds or an IMF-fixdate; never negative. */
    public static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    protected String vendor() {
        return vendor;
    }

    private static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "...";
    }
}
