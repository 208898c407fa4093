package org.itsmhub.plugin.support.http;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.itsmhub.api.config.Secret;
import org.itsmhub.api.connector.ConnectorContext;

import okhttp3.Credentials;
import okhttp3.Interceptor;

/**
 * Interceptors that add credentials to every request of one connection. Credentials are read from
 * {@link Secret}s at send time and exist only on the wire, and each header value is reported to the
 * host exactly as sent ({@link ConnectorContext#credentialSent}) before it goes out: vendors echo
 * the {@code Authorization} header in error bodies, and the host can only mask what it knows.
 */
public final class AuthInterceptors {

    private AuthInterceptors() {
    }

    /** HTTP basic auth ({@code Authorization: Basic base64(user:password)}). */
    public static Interceptor basic(ConnectorContext context, String user, Secret password) {
        String header = Credentials.basic(user, password.reveal(), StandardCharsets.UTF_8);
        context.credentialSent(header);
        return chain -> chain.proceed(chain.request().newBuilder().header("Authorization", header).build());
    }

    /** A bearer token, fetched per request so a refreshed token is used as soon as it exists. */
    public static Interceptor bearer(ConnectorContext context, Supplier<Secret> token) {
        return chain -> {
            String header = "Bearer " + token.get().reveal();
            context.credentialSent(header);
            return chain.proceed(chain.request().newBuilder().header("Authorization", header).build());
        };
    }

    /** A vendor-specific header, e.g. {@code X-ApiKeys: accessKey=...; secretKey=...}. */
    public static Interceptor header(ConnectorContext context, String name, Secret value) {
        context.credentialSent(value.reveal());
        return chain -> chain.proceed(chain.request().newBuilder().header(name, value.reveal()).build());
    }
}
