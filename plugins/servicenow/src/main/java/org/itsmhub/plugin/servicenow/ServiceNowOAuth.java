package org.itsmhub.plugin.servicenow;

import java.time.Clock;
import java.time.Instant;

import org.itsmhub.api.config.Secret;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.plugin.servicenow.dto.OAuthToken;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.json.JsonCodec;

import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * OAuth 2.0 access tokens for the OkHttp calls, by the password grant, cached until shortly before
 * they expire. (The Camel component fetches its own token with the same grant.)
 */
final class ServiceNowOAuth {

    private final HttpExecutor http;
    private final HttpUrl tokenUrl;
    private final String clientId;
    private final Secret clientSecret;
    private final String user;
    private final Secret password;
    private final Clock clock;
    private Secret token;
    private Instant expiresAt = Instant.MIN;

    ServiceNowOAuth(HttpExecutor http, HttpUrl tokenUrl, String clientId, Secret clientSecret, String user,
            Secret password, Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.user = user;
        this.password = password;
        this.clock = clock;
    }

    /**
     * {@code POST /oauth_token.do} with {@code grant_type=password}.
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-platform-security/page/administer/security/concept/c_OAuthApplications.html">OAuth applications</a>
     */
    synchronized Secret token() {
        if (token != null && clock.instant().isBefore(expiresAt)) {
            return token;
        }
        Request request = new Request.Builder().url(tokenUrl).post(new FormBody.Builder()
                .add("grant_type", "password")
                .add("client_id", clientId)
                .add("client_secret", clientSecret.reveal())
                .add("username", user)
                .add("password", password.reveal())
                .build()).build();
        OAuthToken answer;
        try {
            answer = http.execute("OAuth token request", request,
                    response -> JsonCodec.read(response.body().byteStream(), OAuthToken.class, "ServiceNow OAuth token"));
        } catch (AuthenticationException e) {
            throw e;
        } catch (ConnectorException e) {
            if (!e.isRetriable()) { // 400 invalid_grant / invalid_client: the credentials are wrong
                throw new AuthenticationException(e.getMessage(), e);
            }
            throw e;
        }
        if (answer.accessToken() == null || answer.accessToken().isBlank()) {
            throw new AuthenticationException("ServiceNow OAuth token request returned no access_token");
        }
        long seconds = answer.expiresIn() == null ? 1800 : answer.expiresIn();
        token = Secret.of(answer.accessToken());
        expiresAt = clock.instant().plusSeconds(Math.max(0, seconds - 60));
        return token;
    }
}
