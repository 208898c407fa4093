package org.itsmhub.plugin.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import org.itsmhub.testkit.contract.VendorTestData;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Validates the platform API requests the plugin sent (as WireMock recorded them) against
 * Atlassian's Jira Cloud OpenAPI spec in the shared fixtures. servicedeskapi calls are not in that
 * spec; tests assert their bodies directly.
 */
final class JiraOpenApi {

    private static volatile OpenApiInteractionValidator validator;

    private JiraOpenApi() {
    }

    private static OpenApiInteractionValidator validator() {
        if (validator == null) {
            synchronized (JiraOpenApi.class) {
                if (validator == null) {
                    validator = OpenApiInteractionValidator.createForSpecificationUrl(VendorTestData
                            .path("jira", "spec/jira-cloud-platform-swagger-v3.v3.json").toUri().toString()).build();
                }
            }
        }
        return validator;
    }

    static ValidationReport validate(Request request) {
        return validator().validateRequest(request);
    }

    /** Every recorded {@code /rest/api/3/...} request conforms to the spec; returns how many were checked. */
    static int assertConform(List<LoggedRequest> requests) {
        int checked = 0;
        for (LoggedRequest r : requests) {
            String path = r.getUrl().split("\\?", 2)[0];
            if (!path.startsWith("/rest/api/3/")) {
                continue;
            }
            SimpleRequest.Builder b = new SimpleRequest.Builder(Request.Method.valueOf(r.getMethod().getName()), path);
            r.getQueryParams().forEach((name, values) -> b.withQueryParam(name, values.values()));
            for (String header : r.getAllHeaderKeys()) {
                b.withHeader(header, r.getHeaders().getHeader(header).values());
            }
            if (r.getBodyAsString() != null && !r.getBodyAsString().isEmpty()) {
                b.withBody(r.getBodyAsString());
            }
            ValidationReport report = validate(b.build());
            assertThat(report.getMessages())
                    .as(r.getMethod() + " " + r.getUrl() + " against the Jira Cloud OpenAPI spec: "
                            + report.getMessages().stream().map(ValidationReport.Message::toString)
                                    .collect(Collectors.joining("; ")))
                    .filteredOn(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .isEmpty();
            checked++;
        }
        return checked;
    }
}
