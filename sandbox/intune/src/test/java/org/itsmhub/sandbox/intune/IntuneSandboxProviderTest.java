package org.itsmhub.sandbox.intune;

import static org.assertj.core.api.Assertions.assertThat;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.junit.jupiter.api.Test;

class IntuneSandboxProviderTest {

    @Test
    void itsmHubSandboxFindsTheIntuneSandbox() {
        assertThat(SandboxCommand.providers()).containsKey("intune");
        try (VendorSandbox sandbox = SandboxCommand.providers().get("intune").create(SandboxOptions.defaults())) {
            assertThat(sandbox).isInstanceOf(IntuneSandbox.class);
            assertThat(sandbox.vendor()).isEqualTo("intune");
            assertThat(sandbox.credentials()).contains(IntuneSandbox.TENANT, IntuneSandbox.CLIENT_ID);
        }
    }
}
