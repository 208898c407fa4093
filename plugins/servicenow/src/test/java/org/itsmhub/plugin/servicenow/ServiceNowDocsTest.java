package org.itsmhub.plugin.servicenow;

import java.nio.file.Path;

import org.itsmhub.testkit.docs.ConnectorDocsTest;

class ServiceNowDocsTest extends ConnectorDocsTest {
    ServiceNowDocsTest() {
        super(new ServiceNowConnectorFactory(), Path.of("../../docs/connectors/servicenow.md"));
    }
}
