package org.itsmhub.plugin.intune;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.ResponseBody;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.intune.dto.IntuneToken;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.json.JsonCodec;

/**
 * The Graph access token of one connection: fetched with the client-credentials grant, cached and
 * reused until shortly before it expires (on the connector's clock), then fetched again.
 * Thread-safe; at most one token request at a time.
 */
final class IntuneTokenProvider {

    /** Renew this long before the token expires, so no request leaves with a token about to lapse. */
    private static final Duration MARGIN = Duration.ofMinutes(5);

    private final HttpExecutor http;
    private final HttpUrl tokenUrl;
    private final String clientId;
    private final Secret clientSecret;
    private final String scope;
    private final Clock clock;
    private Secret token;
    private Instant renewAt = Instant.MIN;

    IntuneTokenProvider(HttpExecutor http, HttpUrl tokenUrl, String clientId, Secret clientSecret, String scope,
            Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.clock = clock;
    }

    /** A valid access token, from the cache when it is still fresh. */
    synchronized Secret token() {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            IntuneToken fresh = requestToken();
            long lifetime = fresh.expiresIn() == null ? 3599 : fresh.expiresIn();
            Duration margin = Duration.ofSeconds(Math.min(MARGIN.toSeconds(), lifetime / 2));
            token = Secret.of(fresh.accessToken());
            renewAt = clock.instant().plusSeconds(lifetime).minus(margin);
        }
        return token;
    }

    /** Forgets the cached token, e.g. after Graph refused it; the next call fetches a new one. */
    synchronized void invalidate() {
        token = null;
        renewAt = Instant.MIN;
    }

    /**
     * Client-credentials grant.
     * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#first-case-access-token-request-with-a-shared-secret
     */
    private IntuneToken requestToken() {
        FormBody form = new FormBody.Builder()
                .add("client_id", clientId)
                .add("client_secret", clientSecret.reveal())
                .add("grant_type", "client_credentials")
                .add("scope", scope)
                .build();
        Request request = new Request.Builder().url(tokenUrl).header("Accept", "application/json").post(form).build();
        return http.execute(IntuneErrorClassifier.TOKEN_OPERATION, request, r -> {
            try (ResponseBody b = r.body()) {
                IntuneToken t = JsonCodec.read(b.byteStream(), IntuneToken.class, "Intune token response");
                if (t.accessToken() == null || t.accessToken().isBlank()) {
                    throw new DataMappingException("Intune token response has no access_token");
                }
                return t;
            }
        });
    }
}
