package org.itsmhub.sandbox.intune;

import java.time.Clock;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.sandbox.VendorSandboxProvider;

/**
 * {@code itsm-hub sandbox intune}. The client secret it accepts is {@code INTUNE_SANDBOX_CLIENT_SECRET}
 * from the environment, else {@value IntuneSandbox#DEFAULT_CLIENT_SECRET}.
 */
public final class IntuneSandboxProvider implements VendorSandboxProvider {

    @Override
    public String vendor() {
        return "intune";
    }

    @Override
    public VendorSandbox create(SandboxOptions options) {
        String secret = System.getenv("INTUNE_SANDBOX_CLIENT_SECRET");
        return new IntuneSandbox(options, Clock.systemUTC(),
                secret == null || secret.isBlank() ? IntuneSandbox.DEFAULT_CLIENT_SECRET : secret);
    }
}
