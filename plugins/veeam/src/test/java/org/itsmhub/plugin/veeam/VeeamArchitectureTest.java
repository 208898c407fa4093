package org.itsmhub.plugin.veeam;

import org.itsmhub.testkit.arch.PluginArchitectureTest;

class VeeamArchitectureTest extends PluginArchitectureTest {

    VeeamArchitectureTest() {
        super("org.itsmhub.plugin.veeam");
    }
}
