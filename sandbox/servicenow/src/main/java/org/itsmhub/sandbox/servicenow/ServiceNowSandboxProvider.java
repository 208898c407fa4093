package org.itsmhub.sandbox.servicenow;

import java.time.Clock;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.sandbox.VendorSandboxProvider;

/**
 * {@code itsm-hub sandbox servicenow}: the user and password are {@code SERVICENOW_SANDBOX_USER} /
 * {@code SERVICENOW_SANDBOX_PASSWORD}, by default {@value ServiceNowSandbox#DEFAULT_USER} /
 * {@value ServiceNowSandbox#DEFAULT_PASSWORD}.
 */
public final class ServiceNowSandboxProvider implements VendorSandboxProvider {

    @Override
    public String vendor() {
        return "servicenow";
    }

    @Override
    public VendorSandbox create(SandboxOptions options) {
        return new ServiceNowSandbox(options, Clock.systemUTC(), env("SERVICENOW_SANDBOX_USER", ServiceNowSandbox.DEFAULT_USER),
                env("SERVICENOW_SANDBOX_PASSWORD", ServiceNowSandbox.DEFAULT_PASSWORD));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
