package org.itsmhub.sandbox.nessus;

import static org.assertj.core.api.Assertions.assertThat;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.junit.jupiter.api.Test;

class NessusSandboxProviderTest {

    @Test
    void itsmHubSandboxFindsTheNessusSandboxAndItStatesTheKeysItAccepts() {
        assertThat(SandboxCommand.providers()).containsKey("nessus");
        try (VendorSandbox sandbox = SandboxCommand.providers().get("nessus").create(SandboxOptions.defaults())) {
            assertThat(sandbox).isInstanceOf(NessusSandbox.class);
            assertThat(sandbox.vendor()).isEqualTo("nessus");
            if (System.getenv("NESSUS_SANDBOX_ACCESS_KEY") == null && System.getenv("NESSUS_SANDBOX_SECRET_KEY") == null) {
                assertThat(sandbox.credentials())
                        .isEqualTo("X-ApiKeys: accessKey=sandbox-access-key; secretKey=sandbox-secret-key");
            }
        }
    }
}
