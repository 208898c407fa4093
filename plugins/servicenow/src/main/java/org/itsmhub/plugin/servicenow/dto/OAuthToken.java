package org.itsmhub.plugin.servicenow.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of {@code POST /oauth_token.do}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OAuthToken(@JsonProperty("access_token") String accessToken,
        @JsonProperty("refresh_token") String refreshToken, @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") Long expiresIn) {

    @Override
    public String toString() {
        return "OAuthToken[token_type=" + tokenType + ", expires_in=" + expiresIn + "]";
    }
}
