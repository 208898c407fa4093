package org.itsmhub.plugin.intune.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The two error bodies the connector meets: Graph's envelope
 * {@code {"error":{"code","message","innerError":{...}}}}
 * (https://learn.microsoft.com/en-us/graph/errors) and the identity platform's
 * {@code {"error":"invalid_client","error_description":"AADSTS...","error_codes":[...]}}
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response-1).
 * {@code error} is therefore an object or a string.
 */
public record IntuneError(
        JsonNode error,
        @JsonProperty("error_description") String errorDescription,
        @JsonProperty("error_codes") long[] errorCodes) {
}
