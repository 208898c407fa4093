package org.itsmhub.plugin.veeam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.itsmhub.testkit.contract.VendorTestData;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Checks recorded requests against Veeam's own OpenAPI document of one API revision in testdata/veeam/spec.
 * Only 1.1-rev0 is there: the later revisions' documents may not be redistributed (see its PROVENANCE.md).
 */
final class VeeamOpenApi {

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    private VeeamOpenApi() {
    }

    private static OpenApiInteractionValidator validator(String apiVersion) {
        return VALIDATORS.computeIfAbsent(apiVersion, v -> OpenApiInteractionValidator.createForSpecificationUrl(
                VendorTestData.path("veeam", "spec/vbr_rest_" + v + ".json").toUri().toString()).build());
    }

    /** Every recorded request conforms to the spec of {@code apiVersion}; returns how many were checked. */
    static int assertConform(String apiVersion, List<LoggedRequest> requests) {
        for (LoggedRequest r : requests) {
            String path = r.getUrl().split("\\?", 2)[0];
            SimpleRequest.Builder b = new SimpleRequest.Builder(Request.Method.valueOf(r.getMethod().getName()), path);
            r.getQueryParams().forEach((name, values) -> b.withQueryParam(name, values.values()));
            for (String header : r.getAllHeaderKeys()) {
                b.withHeader(header, r.getHeaders().getHeader(header).values());
            }
            if (r.getBodyAsString() != null && !r.getBodyAsString().isEmpty()) {
                b.withBody(r.getBodyAsString());
            }
            ValidationReport report = validator(apiVersion).validateRequest(b.build());
            assertThat(report.getMessages())
                    .as(r.getMethod() + " " + r.getUrl() + " against VBR REST " + apiVersion + ": "
                            + report.getMessages().stream().map(ValidationReport.Message::toString)
                                    .collect(Collectors.joining("; ")))
                    .filteredOn(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .isEmpty();
        }
        return requests.size();
    }
}
