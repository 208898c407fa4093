package org.itsmhub.plugin.veeam.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/oauth2/token} answer (TokenModel); {@code expires_in} is seconds. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VeeamToken(@JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("expires_in") Long expiresIn,
        @JsonProperty(".issued") String issued,
        @JsonProperty(".expires") String expires) {

    @Override
    public String toString() {
        return "VeeamToken[[hidden]]";
    }
}
