package org.itsmhub.plugin.jira;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;

/** The spec check used by the connector tests really rejects what the spec forbids. */
class JiraOpenApiTest {

    @Test
    void theSpecValidatorAcceptsTheSearchTheConnectorSends() {
        ValidationReport report = JiraOpenApi.validate(SimpleRequest.Builder.post("/rest/api/3/search/jql")
                .withContentType("application/json").withAuthorization("Basic aHViOng=")
                .withBody("{\"jql\":\"project = ITSD\",\"fields\":[\"summary\"],\"maxResults\":50}").build());

        assertThat(report.hasErrors()).as(report.toString()).isFalse();
    }

    @Test
    void theSpecValidatorRejectsAMalformedSearchAndAnUnknownPath() {
        ValidationReport badBody = JiraOpenApi.validate(SimpleRequest.Builder.post("/rest/api/3/search/jql")
                .withContentType("application/json").withAuthorization("Basic aHViOng=")
                .withBody("{\"jql\":\"project = ITSD\",\"maxResults\":\"fifty\"}").build());
        ValidationReport badPath = JiraOpenApi.validate(SimpleRequest.Builder.get("/rest/api/3/searchjql")
                .withAuthorization("Basic aHViOng=").build());

        assertThat(badBody.hasErrors()).isTrue();
        assertThat(badPath.hasErrors()).isTrue();
    }
}
