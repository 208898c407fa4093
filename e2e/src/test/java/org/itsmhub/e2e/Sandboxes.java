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
        return start(vendor, SandboxOptions.defaults().withSeeds(seeds));
    }

    /**
     * Starts a vendor's sandbox in its https mode, its certificate files written into {@code tlsDir};
     * connections trust it through {@link SandboxConfig#tlsTrust(VendorSandbox)}.
     */
    VendorSandbox startHttps(String vendor, Path tlsDir, Path... seeds) {
        List<SandboxOptions.Seed> list = new ArrayList<>();
        for (Path seed : seeds) {
            list.add(new SandboxOptions.Seed(null, seed));
        }
        return start(vendor, SandboxOptions.defaults().withSeeds(list).withTls(tlsDir));
    }

    private VendorSandbox start(String vendor, SandboxOptions options) {
        VendorSandbox sandbox = SandboxCommand.providers().get(vendor).create(options);
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
