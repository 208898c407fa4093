package org.itsmhub.sandbox.jira;

import java.nio.file.Path;
import java.time.Clock;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.testkit.docs.GeneratedDocSection;
import org.junit.jupiter.api.Test;

/** docs/sandbox.md lists exactly the endpoints the Jira sandbox dispatches. */
class JiraSandboxDocsTest {

    @Test
    void theEndpointTableInSandboxMdIsTheSandboxsOwnRouteList() {
        JiraSandbox sandbox = new JiraSandbox(SandboxOptions.defaults(), Clock.systemUTC());

        GeneratedDocSection.check(Path.of("../../docs/sandbox.md"), SandboxRoutes.docsStartMarker("jira"),
                SandboxRoutes.docsEndMarker("jira"), sandbox.routes().markdownTable());
    }
}
