package org.itsmhub.plugin.veeam;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.veeam.dto.VeeamResult;
import org.itsmhub.plugin.veeam.dto.VeeamSession;
import org.itsmhub.plugin.veeam.dto.VeeamToken;

/**
 * The VBR REST API v1 calls the connector makes, one method per endpoint (reference:
 * https://helpcenter.veeam.com/docs/backup/vbr_rest/overview.html). Every list is read with
 * {@code skip}/{@code limit} and an explicit sort, so pages are stable. {@code x-api-version} is
 * added by the client's interceptor; {@code api} carries the bearer token, {@code login} does not.
 * Thread-safe.
 */
final class VeeamClient {

    private final HttpExecutor login;
    private final HttpExecutor api;
    private final HttpUrl base;
    private final VeeamTokens tokens;

    VeeamClient(HttpExecutor login, HttpExecutor api, HttpUrl base, VeeamTokens tokens) {
        this.login = login;
        this.api = api;
        this.base = base;
        this.tokens = tokens;
    }

    /** https://helpcenter.veeam.com/references/vbr/13/rest/1.1-rev0/tag/Login (password grant). */
    VeeamToken passwordToken(String username, Secret password) {
        return token("log in", new FormBody.Builder().add("grant_type", "password").add("username", username)
                .add("password", password.reveal()).build());
    }

    /** The same endpoint with {@code grant_type=refresh_token}. */
    VeeamToken refreshToken(Secret refreshToken) {
        return token("refresh the token", new FormBody.Builder().add("grant_type", "refresh_token")
                .add("refresh_token", refreshToken.reveal()).build());
    }

    private VeeamToken token(String operation, FormBody form) {
        HttpUrl url = base.newBuilder().addPathSegments("api/oauth2/token").build();
        VeeamToken token = login.execute(operation, new Request.Builder().url(url).post(form).build(),
                r -> JsonCodec.read(r.body().byteStream(), VeeamToken.class, "Veeam token answer"));
        if (token.accessToken() == null || token.accessToken().isBlank()) {
            throw login.classifier().malformed(operation, "no access_token in the answer");
        }
        return token;
    }

    /**
     * https://helpcenter.veeam.com/references/vbr/13/rest/1.1-rev0/tag/Jobs ("Get All Job States") — the
     * entries left as JSON, for the connector to read one by one.
     */
    VeeamResult<JsonNode> jobStates(int skip, int limit) {
        return list("read job states", page("api/v1/jobs/states", skip, limit, "Name").build(),
                new TypeReference<VeeamResult<JsonNode>>() { });
    }

    /**
     * https://helpcenter.veeam.com/references/vbr/13/rest/1.1-rev0/tag/Jobs ("Get All Jobs") — the
     * entries left as JSON, for the connector to read one by one.
     */
    VeeamResult<JsonNode> jobs(int skip, int limit) {
        return list("read jobs", page("api/v1/jobs", skip, limit, "Name").build(),
                new TypeReference<VeeamResult<JsonNode>>() { });
    }

    /** One entry of a list as its DTO; a {@link DataMappingException} naming it when it is of another shape. */
    static <T> T entry(JsonNode node, Class<T> type, String what) {
        try {
            return JsonCodec.mapper().treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new DataMappingException("Veeam " + what + " is not the expected JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    /**
     * https://helpcenter.veeam.com/references/vbr/13/rest/1.1-rev0/tag/Sessions ("Get All Sessions")
     * — the newest session of one job that ended with {@code result}, newest first, one item.
     */
    VeeamResult<VeeamSession> latestSessionOfJob(String jobId, String result) {
        HttpUrl url = page("api/v1/sessions", 0, 1, "CreationTime").setQueryParameter("orderAsc", "false")
                .addQueryParameter("jobIdFilter", jobId).addQueryParameter("resultFilter", result).build();
        return list("read sessions of job " + jobId, url, new TypeReference<VeeamResult<VeeamSession>>() { });
    }

    private HttpUrl.Builder page(String path, int skip, int limit, String orderColumn) {
        return base.newBuilder().addPathSegments(path).addQueryParameter("skip", Integer.toString(skip))
                .addQueryParameter("limit", Integer.toString(limit)).addQueryParameter("orderColumn", orderColumn)
                .addQueryParameter("orderAsc", "true");
    }

    private <T> VeeamResult<T> list(String operation, HttpUrl url, TypeReference<VeeamResult<T>> type) {
        tokens.current(); // log in or refresh here, outside OkHttp's interceptor chain
        JavaType javaType = JsonCodec.mapper().getTypeFactory().constructType(type);
        try {
            VeeamResult<T> result = api.execute(operation, new Request.Builder().url(url).get().build(), r -> {
                try {
                    return JsonCodec.mapper().readValue(r.body().byteStream(), javaType);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw api.classifier().malformed(operation, e.getOriginalMessage());
                }
            });
            if (result == null || result.data() == null) {
                throw api.classifier().malformed(operation, "no data array in the answer");
            }
            return result;
        } catch (org.itsmhub.api.error.AuthenticationException e) {
            tokens.invalidate(); // revoked or expired early: the next call logs in again
            throw e;
        }
    }
}
