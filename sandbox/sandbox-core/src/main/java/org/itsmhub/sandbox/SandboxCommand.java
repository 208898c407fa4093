package org.itsmhub.sandbox;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code itsm-hub sandbox VENDOR}: runs one vendor sandbox on 127.0.0.1 in the foreground. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Run a stateful fake of a vendor API on 127.0.0.1 until stopped (Ctrl-C).",
                "WireMock's admin API stays at /__admin (e.g. /__admin/requests shows what was sent)."})
public final class SandboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VENDOR", description = "Which vendor: one of the installed sandboxes.")
    String vendor;

    @Option(names = "--port", paramLabel = "P", description = "Port on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--seed", paramLabel = "FILE", description = "Seed file in the vendor's own list format "
            + "(repeatable; ServiceNow takes TABLE=FILE).")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--latency", paramLabel = "MS", description = "Milliseconds added to every answer.")
    long latencyMs;

    @Option(names = "--fault-rate", paramLabel = "R", description = "Share of requests (0..1) that fail.")
    double faultRate;

    @Option(names = "--faults", paramLabel = "KIND", split = ",",
            description = "Faults to inject: ${COMPLETION-CANDIDATES} (default: all).")
    Set<Fault> faults = EnumSet.allOf(Fault.class);

    @Option(names = "--rate-limit", paramLabel = "N", description = "Requests allowed per minute; over it the "
            + "vendor's own 429 (default: unlimited).")
    int rateLimit;

    @Option(names = "--tls", description = "Serve https only, with a self-signed certificate made at start for "
            + "127.0.0.1 and localhost; its PEM and a PKCS#12 trust store are written to --tls-dir.")
    boolean tls;

    @Option(names = "--tls-dir", paramLabel = "DIR", description = "Where --tls writes the certificate "
            + "(default: sandbox-tls in the current directory).")
    String tlsDir = "sandbox-tls";

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, VendorSandboxProvider> providers = providers();
        VendorSandboxProvider provider = providers.get(vendor);
        if (provider == null) {
            spec.commandLine().getErr().printf("itsm-hub: no sandbox for '%s'; installed: %s%n", vendor,
                    providers.isEmpty() ? "none" : String.join(", ", providers.keySet()));
            return 2;
        }
        SandboxOptions options = SandboxOptions.defaults().withPort(port)
                .withSeeds(seeds.stream().map(SandboxCommand::seed).toList())
                .withLatency(Duration.ofMillis(latencyMs))
                .withFaults(faultRate, faultRate > 0 ? faults : Set.of())
                .withRateLimit(rateLimit, Duration.ofMinutes(1))
                .withJournalLimit(SandboxOptions.LONG_RUNNING_JOURNAL_LIMIT);
        if (tls) {
            options = options.withTls(org.itsmhub.runtime.cli.ItsmHubCli.callerPath(tlsDir));
        }
        VendorSandbox sandbox = provider.create(options);
        sandbox.start();
        out.printf("%s sandbox on %s (WireMock admin API: %s/__admin)%n", vendor, sandbox.baseUrl(), sandbox.baseUrl());
        sandbox.certificate().ifPresent(c -> {
            out.printf("certificate: %s (SHA-256 %s)%n", c.pem().toAbsolutePath(), c.sha256Fingerprint());
            out.printf("trust store: %s (PKCS#12, password %s)%n", c.trustStore().toAbsolutePath(),
                    SandboxCertificate.STORE_PASSWORD);
        });
        if (!sandbox.credentials().isEmpty()) {
            out.printf("accepted credentials: %s%n", sandbox.credentials());
        }
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stop.countDown();
        }, "sandbox-shutdown"));
        stop.await();
        return 0;
    }

    /** A seed argument, its file taken from the directory the command was run in. */
    private static SandboxOptions.Seed seed(String text) {
        SandboxOptions.Seed seed = SandboxOptions.Seed.parse(text);
        return new SandboxOptions.Seed(seed.qualifier(),
                org.itsmhub.runtime.cli.ItsmHubCli.callerPath(seed.file().toString()));
    }

    /** The installed vendor sandboxes by vendor id. */
    public static Map<String, VendorSandboxProvider> providers() {
        Map<String, VendorSandboxProvider> byVendor = new TreeMap<>();
        ServiceLoader.load(VendorSandboxProvider.class).forEach(p -> byVendor.put(p.vendor(), p));
        return byVendor;
    }

    /** Registers this command with {@code itsm-hub}. */
    public static final class Extension implements org.itsmhub.runtime.cli.CliExtension {
        @Override
        public Object command() {
            return new SandboxCommand();
        }
    }

}
