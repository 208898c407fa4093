package org.itsmhub.plugin.veeam;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.itsmhub.api.config.Secret;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.veeam.dto.VeeamToken;

/**
 * The connection's VBR session: logs in with the password grant, refreshes the access token with the
 * refresh token a minute before it expires (per the connector's clock), and logs in again when no
 * refresh token is left or VBR refuses it. Thread-safe.
 */
final class VeeamTokens implements Supplier<Secret> {

    /** Refresh this long before the access token expires, so a call never carries a dying token. */
    static final Duration SKEW = Duration.ofSeconds(60);
    /** The shortest access-token lifetime VBR uses (15 minutes on v11); only when an answer lacks {@code expires_in}. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    private final String username;
    private final Secret password;
    private final Clock clock;
    private VeeamClient client;
    private Secret access;
    private Secret refresh;
    private Instant expiresAt = Instant.MIN;

    VeeamTokens(String username, Secret password, Clock clock) {
        this.username = username;
        this.password = password;
        this.clock = clock;
    }

    void attach(VeeamClient veeamClient) {
        this.client = veeamClient;
    }

    /** A valid access token, logging in or refreshing first when needed. */
    synchronized Secret current() {
        Instant now = clock.instant();
        if (access != null && now.isBefore(expiresAt.minus(SKEW))) {
            return access;
        }
        VeeamToken token = null;
        if (refresh != null) {
            try {
                token = client.refreshToken(refresh);
            } catch (AuthenticationException | DataMappingException refused) {
                // refresh token expired or revoked (VBR answers 400/401): fall back to a fresh login
                refresh = null;
            }
        }
        if (token == null) {
            token = client.passwordToken(username, password);
        }
        access = Secret.of(token.accessToken());
        refresh = token.refreshToken() == null || token.refreshToken().isBlank() ? null : Secret.of(token.refreshToken());
        Duration lifetime = token.expiresIn() == null ? DEFAULT_LIFETIME : Duration.ofSeconds(token.expiresIn());
        expiresAt = now.plus(lifetime);
        return access;
    }

    /** The cached token for the bearer interceptor ({@link #current()} ran just before each call). */
    @Override
    public synchronized Secret get() {
        return access != null ? access : current();
    }

    /** Forget the access token (VBR refused it); the refresh token is tried first next time. */
    synchronized void invalidate() {
        access = null;
        expiresAt = Instant.MIN;
    }
}
