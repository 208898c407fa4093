package org.itsmhub.testkit.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A vendor that refuses the credentials and echoes them in its error body, as real ones do (a
 * Freshdesk 401 quoting {@code Basic c2FuZGJveC1hcGkta2V5Olg=}): the connector's error then carries
 * a credential in the encoding it was sent in, which the host can mask only if the connector
 * reported exactly that value ({@code ConnectorContext.credentialSent}).
 */
public final class CredentialEcho {

    /** The credential headers a connector may send. */
    public static final List<String> HEADERS = List.of("Authorization", "X-ApiKeys");

    private CredentialEcho() {
    }

    /** An answer with {@code status} whose JSON body quotes the request's credential headers verbatim. */
    public static ResponseDefinitionBuilder refusing(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"invalid credentials {{{request.headers.Authorization}}}"
                        + " {{{request.headers.[X-ApiKeys]}}}\"}")
                .withTransformers("response-template");
    }

    /**
     * Asserts that the error quotes every credential header the vendor received (so without masking
     * it would leak) and that the connector reported each of them, exactly as sent, before sending.
     */
    public static void assertEchoedCredentialsWereReported(Throwable error, List<LoggedRequest> received,
            TestConnectorContext context) {
        List<String> sent = received.stream().flatMap(r -> HEADERS.stream().filter(r::containsHeader).map(r::getHeader))
                .distinct().toList();
        assertThat(sent).as("credential headers the vendor received").isNotEmpty();
        for (String value : sent) {
            assertThat(error).as("the connector's error quotes the vendor's echo").hasMessageContaining(value);
        }
        assertThat(context.credentialsSent()).as("credentials the connector reported as sent").containsAll(sent);
    }
}
