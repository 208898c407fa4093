package org.itsmhub.sandbox.veeam;

import java.time.Clock;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.sandbox.VendorSandboxProvider;

/**
 * {@code itsm-hub sandbox veeam}. The password it accepts for {@value VeeamSandbox#DEFAULT_USERNAME}
 * is {@code VEEAM_SANDBOX_PASSWORD} from the environment, else {@value VeeamSandbox#DEFAULT_PASSWORD}.
 */
public final class VeeamSandboxProvider implements VendorSandboxProvider {

    @Override
    public String vendor() {
        return "veeam";
    }

    @Override
    public VendorSandbox create(SandboxOptions options) {
        String password = System.getenv("VEEAM_SANDBOX_PASSWORD");
        return new VeeamSandbox(options, Clock.systemUTC(), VeeamSandbox.DEFAULT_USERNAME,
                password == null || password.isBlank() ? VeeamSandbox.DEFAULT_PASSWORD : password);
    }
}
