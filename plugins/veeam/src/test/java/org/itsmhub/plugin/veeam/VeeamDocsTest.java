package org.itsmhub.plugin.veeam;

import java.nio.file.Path;

import org.itsmhub.testkit.docs.ConnectorDocsTest;

class VeeamDocsTest extends ConnectorDocsTest {

    VeeamDocsTest() {
        super(new VeeamConnectorFactory(), Path.of("../../docs/connectors/veeam.md"));
    }
}
