package org.itsmhub.sandbox.nessus;

import java.time.Clock;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.sandbox.VendorSandboxProvider;

/**
 * {@code itsm-hub sandbox nessus}. The API keys it accepts are {@code NESSUS_SANDBOX_ACCESS_KEY} and
 * {@code NESSUS_SANDBOX_SECRET_KEY} from the environment, else {@value NessusSandbox#DEFAULT_ACCESS_KEY} and
 * {@value NessusSandbox#DEFAULT_SECRET_KEY}.
 */
public final class NessusSandboxProvider implements VendorSandboxProvider {

    @Override
    public String vendor() {
        return "nessus";
    }

    @Override
    public VendorSandbox create(SandboxOptions options) {
        return new NessusSandbox(options, Clock.systemUTC(),
                env("NESSUS_SANDBOX_ACCESS_KEY", NessusSandbox.DEFAULT_ACCESS_KEY),
                env("NESSUS_SANDBOX_SECRET_KEY", NessusSandbox.DEFAULT_SECRET_KEY));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
