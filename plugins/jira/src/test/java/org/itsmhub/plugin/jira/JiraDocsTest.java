package org.itsmhub.plugin.jira;

import java.nio.file.Path;

import org.itsmhub.testkit.docs.ConnectorDocsTest;

class JiraDocsTest extends ConnectorDocsTest {

    JiraDocsTest() {
        super(new JiraConnectorFactory(), Path.of("../../docs/connectors/jira.md"));
    }
}
