package org.itsmhub.runtime.assets;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.runtime.config.ConnectionConfig;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.config.SecretRedactor;
import org.itsmhub.runtime.config.TenantConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.flow.RecordHints;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;

/**
 * How the asset register and the assets-to-cmdb flow scale: N source records (default 100,000: half
 * Intune devices, 40 % Nessus hosts of which three quarters share a MAC with an Intune device, 10 %
 * Veeam machines) run through the real flow into an H2 file store, with an in-memory CMDB that only
 * counts calls. Then a quiet cycle, then a cycle in which 1 % of the Intune devices changed.
 * Prints time, CMDB calls and peak heap per phase. Not a test; numbers go to docs/performance.md.
 *
 * <pre>java -Xmx1g -cp ... org.itsmhub.runtime.assets.AssetRegisterBenchmark [N] [h2-dir]</pre>
 */
public final class AssetRegisterBenchmark {

    private AssetRegisterBenchmark() {
    }

    /** A CMDB that answers at once and counts. */
    static final class CountingCmdb implements Connector, AssetSink {
        final AtomicLong upserts = new AtomicLong();
        final AtomicLong stale = new AtomicLong();

        @Override
        public ExternalRef upsert(Asset asset, String correlationId) {
            upserts.incrementAndGet();
            return ExternalRef.of("bench", "acme-cmdb", correlationId);
        }

        @Override
        public void markStale(String id, String reason) {
            stale.incrementAndGet();
        }

        @Override
        public Optional<ExternalRef> findByCorrelationId(String correlationId) {
            return Optional.empty();
        }

        @Override
        public List<ConfigProblem> checkConnection() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("asset-bench");
        int intuneCount = n / 2;
        int nessusCount = n * 2 / 5;
        int veeamCount = n - intuneCount - nessusCount;
        Instant seen = Instant.now().minus(Duration.ofHours(1));

        FakeAssetSource intune = new FakeAssetSource();
        FakeAssetSource nessus = new FakeAssetSource();
        FakeAssetSource veeam = new FakeAssetSource();
        for (int i = 0; i < intuneCount; i++) {
            intune.changed(device(i, seen, "Windows"));
        }
        for (int i = 0; i < nessusCount; i++) {
            boolean known = i < nessusCount * 3 / 4;
            String mac = known ? mac(i) : mac(10_000_000 + i);
            String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            nessus.changed(new Asset(ExternalRef.of("nessus", "acme-nessus", ip),
                    new AssetIdentity(null, null, "host" + i + ".corp.example", List.of(mac), List.of(ip), Map.of()),
                    "host" + i + ".corp.example", "Linux", null, null, seen, Map.of("identity", "mac")));
        }
        for (int i = 0; i < veeamCount; i++) {
            String id = "vc01/vm-" + i;
            veeam.changed(new Asset(ExternalRef.of("veeam", "acme-veeam", id),
                    new AssetIdentity(null, null, null, List.of(), List.of(), Map.of("veeam.inventoryObject", id)),
                    "vm-" + i, null, null, null, null, Map.of("inventoryType", "VirtualMachine")));
        }
        CountingCmdb cmdb = new CountingCmdb();
        System.gc();
        long baseline = usedMb();

        try (HubStore store = HubStore.open(StoreSettings.h2File(dir.resolve("hub")))) {
            ConnectorConfig empty = ConnectorConfig.of(new ConfigDef(), Map.of());
            Map<String, ConnectionConfig> acme = new LinkedHashMap<>();
            for (String c : List.of("acme-intune", "acme-nessus", "acme-veeam", "acme-cmdb")) {
                acme.put(c, new ConnectionConfig("acme", c, c.substring(5), Map.of(), empty));
            }
            HubConfig config = new HubConfig(dir.resolve("hub.yaml"), HubSettings.defaults(),
                    Map.of("acme", new TenantConfig("acme", acme, List.of())), new SecretRedactor(List.of()));
            Map<String, Connector> byConnection = Map.of("acme-intune", intune, "acme-nessus", nessus,
                    "acme-veeam", veeam, "acme-cmdb", cmdb);
            ConnectorFactory factory = new ConnectorFactory() {
                @Override public String id() { return "bench"; }
                @Override public String version() { return "1"; }
                @Override public String description() { return "benchmark"; }
                @Override public ConfigDef configDef() { return new ConfigDef(); }
                @Override public Class<? extends Connector> connectorType() { return FakeAssetSource.class; }
                @Override public Connector create(ConnectorContext context) {
                    return byConnection.get(context.connection());
                }
            };
            try (ConnectionRegistry registry = new ConnectionRegistry(config, p -> Optional.of(factory),
                    Clock.systemUTC(), ConnectionRegistry.HostServices.none())) {
                AssetsToCmdbFlow flow = new AssetsToCmdbFlow(new ConnectorCalls(ConnectorCalls.Policy.defaults()));
                Map<String, String> parameters = Map.of("source-connections", "acme-intune,acme-nessus,acme-veeam",
                        "cmdb-connection", "acme-cmdb", "page-size", "500");
                System.out.printf(Locale.ROOT, "asset register benchmark: %,d records (%,d Intune, %,d Nessus of which "
                        + "%,d share a MAC with an Intune device, %,d Veeam), H2 file store, Java %s, %d CPUs, max heap %d MB%n",
                        n, intuneCount, nessusCount, nessusCount * 3 / 4, veeamCount, System.getProperty("java.version"),
                        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
                System.out.printf(Locale.ROOT, "heap used by the in-memory fake sources before the first cycle: %d MB%n",
                        baseline);

                phase("first cycle (register everything, push every asset)", flow, parameters, registry, store, cmdb);
                System.out.printf(Locale.ROOT, "  register: %,d live assets%n",
                        new AssetRegisterRepository(store.dataSource(), Clock.systemUTC()).liveAssets("acme").size());
                phase("quiet cycle (no source changed)", flow, parameters, registry, store, cmdb);
                int changed = intuneCount / 100;
                for (int i = 0; i < changed; i++) {
                    intune.changed(device(i, seen, "Windows 11 24H2"));
                }
                phase("cycle with " + changed + " changed Intune devices", flow, parameters, registry, store, cmdb);
                for (int i = 0; i < intuneCount; i++) {
                    intune.changed(device(i, seen, i < changed ? "Windows 11 24H2" : "Windows"));
                }
                phase("cycle re-reading all " + intuneCount + " Intune devices unchanged", flow, parameters, registry,
                        store, cmdb);
            }
        }
    }

    private static Asset device(int i, Instant seen, String os) {
        return new Asset(ExternalRef.of("intune", "acme-intune", "dev-" + i),
                new AssetIdentity("SN" + (1_000_000 + i), "pc-" + i, null, List.of(mac(i)), List.of(),
                        Map.of("intuneDeviceId", "dev-" + i)), "PC-" + i, os, "10.0", null, seen,
                Map.of("complianceState", "compliant"));
    }

    private static String mac(int i) {
        return String.format(Locale.ROOT, "02:00:%02X:%02X:%02X:%02X", i >> 24 & 255, i >> 16 & 255, i >> 8 & 255,
                i & 255);
    }

    private static void phase(String name, AssetsToCmdbFlow flow, Map<String, String> parameters,
            ConnectionRegistry registry, HubStore store, CountingCmdb cmdb) {
        System.gc();
        resetPeaks();
        long upserts = cmdb.upserts.get();
        long t0 = System.nanoTime();
        SyncContext sync = new SyncContext("acme", "acme-assets", "assets-to-cmdb", parameters, RecordHints.none(),
                registry, store, Clock.systemUTC());
        flow.run(sync);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = peakHeapMb();
        System.gc();
        System.out.printf(Locale.ROOT, "%s: %.1f s, %s, CMDB upserts %,d, peak heap %d MB (with garbage), "
                + "live heap after the cycle %d MB%n", name, seconds, sync.summary(), cmdb.upserts.get() - upserts,
                peak, usedMb());
    }

    private static long usedMb() {
        return (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the last reset: an upper bound of the live heap at any moment. */
    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }
}
