package org.itsmhub.plugin.support.http;

import java.util.function.Supplier;

import org.itsmhub.api.config.Secret;

import okhttp3.Credentials;
import okhttp3.Interceptor;

/**
 * Interceptors that add credentials to every request of one connection. Credentials are read from
 * {@link Secret}s at send time and exist only on the wire.
 */
public final class AuthInterceptors {

    private AuthInterceptors() {
    }

    /** HTTP basic auth ({@code Authorization: Basic base64(user:password)}). */
    public static Interceptor basic(String user, Secret password) {
        String header = Credentials.basic(user, password.reveal(), java.nio.charset.StandardCharsets.UTF_8);
        return chain -> chain.proceed(chain.request().newBuilder().header("Authorization", header).build());
    }

    /** A bearer token, fetched per request so a refreshed token is used as soon as it exists. */
    public static Interceptor bearer(Supplier<Secret> token) {
        return chain -> chain.proceed(chain.request().newBuilder()
                .header("Authorization", "Bearer " + token.get().reveal()).build());
    }

    /** A vendor-specific header, e.g. {@code X-ApiKeys: accessKey=...; secretKey=...}. */
    public static Interceptor header(String name, Secret value) {
        return chain -> chain.proceed(chain.request().newBuilder().header(name, value.reveal()).build());
    }
}
