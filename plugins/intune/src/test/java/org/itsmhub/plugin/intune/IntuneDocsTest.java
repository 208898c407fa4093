package org.itsmhub.plugin.intune;

import java.nio.file.Path;

import org.itsmhub.testkit.docs.ConnectorDocsTest;

class IntuneDocsTest extends ConnectorDocsTest {

    IntuneDocsTest() {
        super(new IntuneConnectorFactory(), Path.of("../../docs/connectors/intune.md"));
    }
}
