package org.itsmhub.plugin.intune.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A client-credentials token response of the Microsoft identity platform.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#successful-response-1
 */
public record IntuneToken(
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") Long expiresIn,
        @JsonProperty("access_token") String accessToken) {

    @Override
    public String toString() {
        return "IntuneToken[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", accessToken=[hidden]]";
    }
}
