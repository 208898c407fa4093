package org.itsmhub.sandbox.jira;

import java.util.Map;

/** The Jira connector's twin lookup against the sandbox, correlation id as a label. */
class JiraLabelModeTicketSinkContractTest extends JiraTicketSinkContractTest {

    @Override
    Map<String, Object> mode() {
        return Map.of("correlation.mode", "label");
    }
}
