package org.itsmhub.plugin.support.http;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Logs each call at DEBUG as method, URL, status and time. Headers and bodies are never logged, and
 * query parameters that carry credentials are shown as {@code [hidden]}.
 */
public final class RedactingLoggingInterceptor implements Interceptor {

    private static final Set<String> SECRET_PARAMS = Set.of("api_key", "apikey", "key", "token", "access_token",
            "refresh_token", "password", "client_secret", "secret", "signature", "sig");

    private final Logger log;

    public RedactingLoggingInterceptor(String vendor) {
        this.log = LoggerFactory.getLogger("org.itsmhub.plugin." + vendor + ".http");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (!log.isDebugEnabled()) {
            return chain.proceed(chain.request());
        }
        String target = chain.request().method() + " " + redact(chain.request().url());
        long start = System.nanoTime();
        try {
            Response response = chain.proceed(chain.request());
            log.debug("{} -> {} ({} ms)", target, response.code(), (System.nanoTime() - start) / 1_000_000);
            return response;
        } catch (IOException e) {
            log.debug("{} -> {} ({} ms)", target, e.getClass().getSimpleName(), (System.nanoTime() - start) / 1_000_000);
            throw e;
        }
    }

    /** The URL with credential-carrying query parameters and any user info masked. */
    public static String redact(HttpUrl url) {
        HttpUrl.Builder b = url.newBuilder().username("").password("").query(null);
        for (int i = 0; i < url.querySize(); i++) {
            String name = url.queryParameterName(i);
            String value = SECRET_PARAMS.contains(name.toLowerCase(Locale.ROOT)) ? "[hidden]" : url.queryParameterValue(i);
            b.addQueryParameter(name, value);
        }
        return b.build().toString();
    }
}
