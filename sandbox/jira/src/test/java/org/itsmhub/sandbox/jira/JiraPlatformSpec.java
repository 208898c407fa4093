package org.itsmhub.sandbox.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Collectors;

import org.itsmhub.testkit.contract.VendorTestData;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Checks the sandbox's platform answers against Atlassian's Jira Cloud OpenAPI spec in
 * {@code testdata/jira/spec}: status documented for the operation, body matching its schema (for
 * the schemas with {@code additionalProperties: false}, no field Jira does not have).
 * servicedeskapi answers are not in that spec.
 */
final class JiraPlatformSpec {

    private static volatile OpenApiInteractionValidator validator;

    private JiraPlatformSpec() {
    }

    private static OpenApiInteractionValidator validator() {
        if (validator == null) {
            synchronized (JiraPlatformSpec.class) {
                if (validator == null) {
                    validator = OpenApiInteractionValidator.createForSpecificationUrl(VendorTestData
                            .path("jira", "spec/jira-cloud-platform-swagger-v3.v3.json").toUri().toString()).build();
                }
            }
        }
        return validator;
    }

    /** Asserts that this answer to {@code method path} conforms to the spec. */
    static void assertConforms(String method, String path, HttpResponse<String> answer) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(answer.statusCode());
        answer.headers().firstValue("Content-Type").ifPresent(b::withContentType);
        if (!answer.body().isEmpty()) {
            b.withBody(answer.body());
        }
        ValidationReport report = validator().validateResponse(path, Request.Method.valueOf(method), b.build());
        assertThat(report.getMessages())
                .as(method + " " + path + " answer against the Jira Cloud OpenAPI spec: "
                        + report.getMessages().stream().map(ValidationReport.Message::toString)
                                .collect(Collectors.joining("; ")))
                .filteredOn(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .isEmpty();
    }
}
