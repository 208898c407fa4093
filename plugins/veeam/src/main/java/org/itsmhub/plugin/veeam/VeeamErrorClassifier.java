package org.itsmhub.plugin.veeam;

import java.time.Clock;

import org.itsmhub.plugin.support.http.HttpErrorClassifier;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.veeam.dto.VeeamError;

/** Veeam failures in the hub's error hierarchy; reads Veeam's {@code {"errorCode","message"}} body. */
final class VeeamErrorClassifier extends HttpErrorClassifier {

    VeeamErrorClassifier(Clock clock) {
        super("Veeam", clock, VeeamConnectorConfig.BASE_URL, VeeamConnectorConfig.PASSWORD);
    }

    /** VBR's own self-signed certificate may also be pinned. */
    @Override
    protected String notTrusted() {
        return "TLS: the server's certificate is not trusted (set " + TlsTrust.KEY + " to its PEM, or "
                + VeeamConnectorConfig.TLS_PINNED_SHA256 + " to its SHA-256 fingerprint)";
    }

    @Override
    protected String vendorMessage(String body) {
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            try {
                VeeamError error = JsonCodec.mapper().readValue(trimmed, VeeamError.class);
                if (error.message() != null && !error.message().isBlank()) {
                    return (error.errorCode() == null ? "" : error.errorCode() + ": ") + error.message();
                }
            } catch (java.io.IOException | RuntimeException notTheEnvelope) {
                // fall through to the raw body
            }
        }
        return super.vendorMessage(body);
    }
}
