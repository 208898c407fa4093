package org.itsmhub.sandbox.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.junit.jupiter.api.Test;

class FreshdeskSandboxProviderTest {

    @Test
    void itsmHubSandboxFindsTheFreshdeskSandbox() {
        assertThat(SandboxCommand.providers()).containsKey("freshdesk");
        try (VendorSandbox sandbox = SandboxCommand.providers().get("freshdesk").create(SandboxOptions.defaults())) {
            assertThat(sandbox).isInstanceOf(FreshdeskSandbox.class);
            assertThat(sandbox.vendor()).isEqualTo("freshdesk");
            assertThat(((FreshdeskSandbox) sandbox).customFieldNames()).as("the demo's default correlation field")
                    .containsExactly("cf_itsm_hub_id");
        }
    }
}
