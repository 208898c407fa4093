package org.itsmhub.sandbox.veeam;

import static org.assertj.core.api.Assertions.assertThat;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.junit.jupiter.api.Test;

class VeeamSandboxProviderTest {

    @Test
    void itsmHubSandboxFindsTheVeeamSandboxAndNamesItsCredentials() {
        assertThat(SandboxCommand.providers()).containsKey("veeam");
        try (VendorSandbox sandbox = SandboxCommand.providers().get("veeam").create(SandboxOptions.defaults())) {
            assertThat(sandbox).isInstanceOf(VeeamSandbox.class);
            assertThat(sandbox.vendor()).isEqualTo("veeam");
            assertThat(sandbox.credentials()).contains(VeeamSandbox.DEFAULT_USERNAME);
        }
    }
}
