package org.itsmhub.plugin.nessus;

import org.itsmhub.testkit.arch.PluginArchitectureTest;

class NessusArchitectureTest extends PluginArchitectureTest {

    NessusArchitectureTest() {
        super("org.itsmhub.plugin.nessus");
    }
}
