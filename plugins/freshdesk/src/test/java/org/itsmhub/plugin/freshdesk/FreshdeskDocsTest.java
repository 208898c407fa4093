package org.itsmhub.plugin.freshdesk;

import java.nio.file.Path;

import org.itsmhub.testkit.docs.ConnectorDocsTest;

class FreshdeskDocsTest extends ConnectorDocsTest {

    FreshdeskDocsTest() {
        super(new FreshdeskConnectorFactory(), Path.of("../../docs/connectors/freshdesk.md"));
    }
}
