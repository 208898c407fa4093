package org.itsmhub.plugin.nessus;

import java.nio.file.Path;

import org.itsmhub.testkit.docs.ConnectorDocsTest;

class NessusDocsTest extends ConnectorDocsTest {

    NessusDocsTest() {
        super(new NessusConnectorFactory(), Path.of("../../docs/connectors/nessus.md"));
    }
}
