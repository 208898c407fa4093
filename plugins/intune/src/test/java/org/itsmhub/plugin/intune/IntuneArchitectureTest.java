package org.itsmhub.plugin.intune;

import org.itsmhub.testkit.arch.PluginArchitectureTest;

class IntuneArchitectureTest extends PluginArchitectureTest {

    IntuneArchitectureTest() {
        super("org.itsmhub.plugin.intune");
    }
}
