package org.itsmhub.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The vendor sandboxes a test starts, stopped after each test. Register with
 * {@code @RegisterExtension final Sandboxes sandboxes = new Sandboxes();}.
 */
final class Sandboxes implements AfterEachCallback {

    private final List<VendorSandbox> started = new ArrayList<>();

    /** Starts a vendor's sandbox on a free loopback port, seeded with the given files (none: empty). */
    VendorSandbox start(String vendor, Path... seeds) {
        List<SandboxOptions.Seed> list = new ArrayList<>();
        for (Path seed : seeds) {
            list.add(new SandboxOptions.Seed(null, seed));
        }
        return start(vendor, list);
    }

    VendorSandbox start(String vendor, List<SandboxOptions.Seed> seeds) {
        VendorSandbox sandbox = SandboxCommand.providers().get(vendor).create(SandboxOptions.defaults().withSeeds(seeds));
        sandbox.start();
        started.add(sandbox);
        return sandbox;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(VendorSandbox::close);
        started.clear();
    }
}
