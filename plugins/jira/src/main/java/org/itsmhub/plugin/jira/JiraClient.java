package org.itsmhub.plugin.jira;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.plugin.jira.dto.CommentPage;
import org.itsmhub.plugin.jira.dto.CreateRequest;
import org.itsmhub.plugin.jira.dto.CreatedComment;
import org.itsmhub.plugin.jira.dto.CreatedRequest;
import org.itsmhub.plugin.jira.dto.Issue;
import org.itsmhub.plugin.jira.dto.IssueUpdate;
import org.itsmhub.plugin.jira.dto.RequestComment;
import org.itsmhub.plugin.jira.dto.SearchRequest;
import org.itsmhub.plugin.jira.dto.SearchResponse;
import org.itsmhub.plugin.jira.dto.TransitionList;
import org.itsmhub.plugin.jira.dto.TransitionRequest;
import org.itsmhub.plugin.jira.dto.User;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.json.JsonCodec;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Jira Cloud platform REST v3 and Jira Service Management REST calls, one method per endpoint. */
final class JiraClient {

    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpUrl base;
    private final HttpExecutor http;

    JiraClient(URI baseUrl, HttpExecutor http) {
        this.base = HttpUrl.get(baseUrl.toString());
        this.http = http;
    }

    /** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get */
    User myself() {
        return http.execute("read current user", get(url("rest/api/3/myself").build()),
                r -> read(r, User.class, "Jira user"));
    }

    /** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post */
    SearchResponse search(SearchRequest body) {
        return http.execute("search issues", post(url("rest/api/3/search/jql").build(), body),
                r -> read(r, SearchResponse.class, "Jira search result"));
    }

    /**
     * One page of a search, its issues left as JSON so that the connector reads them one by one (one
     * broken issue must not fail the page).
     */
    record SearchPage(com.fasterxml.jackson.databind.JsonNode issues, String nextPageToken, Boolean isLast) {
    }

    /** The same endpoint as {@link #search}, read as a {@link SearchPage}. */
    SearchPage searchPage(SearchRequest body) {
        return http.execute("search issues", post(url("rest/api/3/search/jql").build(), body), r -> {
            com.fasterxml.jackson.databind.JsonNode root = JsonCodec.read(r.body().byteStream(),
                    com.fasterxml.jackson.databind.JsonNode.class, "Jira search result");
            com.fasterxml.jackson.databind.JsonNode issues = root.path("issues");
            if (!root.isObject() || !(issues.isArray() || issues.isMissingNode() || issues.isNull())) {
                throw new org.itsmhub.api.error.DataMappingException("Jira search result is not the expected JSON:"
                        + " expected an object with an issues array");
            }
            com.fasterxml.jackson.databind.JsonNode token = root.path("nextPageToken");
            com.fasterxml.jackson.databind.JsonNode last = root.path("isLast");
            return new SearchPage(issues, token.isTextual() ? token.textValue() : null,
                    last.isBoolean() ? last.booleanValue() : null);
        });
    }

    /**
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
     * Empty when the issue does not exist or is not visible (404).
     */
    Optional<Issue> issue(String key, List<String> fields) {
        Request request = get(url("rest/api/3/issue").addPathSegment(key)
                .addQueryParameter("fields", String.join(",", fields)).build());
        try (Response response = http.client().newCall(request).execute()) {
            if (response.code() == 404) {
                return Optional.empty();
            }
            if (!response.isSuccessful()) {
                throw http.classifier().classify("read issue", response.code(), response.headers(),
                        response.body().string());
            }
            return Optional.of(read(response, Issue.class, "Jira issue"));
        } catch (ConnectorException e) {
            throw e;
        } catch (IOException e) {
            throw http.classifier().io("read issue", e);
        }
    }

    /** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get */
    CommentPage comments(String key, int startAt, int maxResults) {
        HttpUrl url = url("rest/api/3/issue").addPathSegment(key).addPathSegment("comment")
                .addQueryParameter("startAt", String.valueOf(startAt))
                .addQueryParameter("maxResults", String.valueOf(maxResults))
                .addQueryParameter("orderBy", "created")
                .addQueryParameter("expand", "properties").build();
        return http.execute("read comments", get(url), r -> read(r, CommentPage.class, "Jira comment page"));
    }

    /** https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-post */
    CreatedRequest createRequest(CreateRequest body) {
        return http.execute("create request", post(url("rest/servicedeskapi/request").build(), body),
                r -> read(r, CreatedRequest.class, "Jira Service Management request"));
    }

    /** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-issueidorkey-properties-propertykey-put */
    void setProperty(String key, String property, Object value) {
        HttpUrl url = url("rest/api/3/issue").addPathSegment(key).addPathSegment("properties")
                .addPathSegment(property).build();
        http.execute("set issue property", new Request.Builder().url(url).header("Accept", "application/json")
                .put(json(value)).build(), r -> null);
    }

    /** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put */
    void updateIssue(String key, IssueUpdate body) {
        HttpUrl url = url("rest/api/3/issue").addPathSegment(key).build();
        http.execute("update issue", new Request.Builder().url(url).header("Accept", "application/json")
                .put(json(body)).build(), r -> null);
    }

    /** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get */
    TransitionList transitions(String key) {
        HttpUrl url = url("rest/api/3/issue").addPathSegment(key).addPathSegment("transitions")
                .addQueryParameter("expand", "transitions.fields").build();
        return http.execute("read transitions", get(url), r -> read(r, TransitionList.class, "Jira transitions"));
    }

    /** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post */
    void transition(String key, TransitionRequest body) {
        HttpUrl url = url("rest/api/3/issue").addPathSegment(key).addPathSegment("transitions").build();
        http.execute("transition issue", post(url, body), r -> null);
    }

    /** https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post */
    CreatedComment addRequestComment(String key, RequestComment body) {
        HttpUrl url = url("rest/servicedeskapi/request").addPathSegment(key).addPathSegment("comment").build();
        return http.execute("add comment", post(url, body), r -> read(r, CreatedComment.class, "Jira comment"));
    }

    /** A browser link to an issue. */
    String browseUrl(String key) {
        return url("browse").addPathSegment(key).build().toString();
    }

    private HttpUrl.Builder url(String path) {
        return base.newBuilder().addPathSegments(path);
    }

    private static Request get(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json").get().build();
    }

    private static Request post(HttpUrl url, Object body) {
        return new Request.Builder().url(url).header("Accept", "application/json").post(json(body)).build();
    }

    private static RequestBody json(Object body) {
        return RequestBody.create(JsonCodec.write(body), JSON);
    }

    private static <T> T read(Response response, Class<T> type, String what) {
        return JsonCodec.read(response.body().byteStream(), type, what);
    }
}
