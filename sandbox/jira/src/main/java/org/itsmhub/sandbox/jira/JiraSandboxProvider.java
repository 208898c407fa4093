package org.itsmhub.sandbox.jira;

import java.time.Clock;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.sandbox.VendorSandboxProvider;

/** Registers {@code itsm-hub sandbox jira}. */
public final class JiraSandboxProvider implements VendorSandboxProvider {

    @Override
    public String vendor() {
        return "jira";
    }

    @Override
    public VendorSandbox create(SandboxOptions options) {
        return new JiraSandbox(options, Clock.systemUTC());
    }
}
