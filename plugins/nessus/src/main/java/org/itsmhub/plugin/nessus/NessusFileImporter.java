package org.itsmhub.plugin.nessus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.itsmhub.api.connector.FindingFileImporter;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.Severity;

/**
 * {@code itsm-hub import nessus FILE}: streams a {@code .nessus} v2 export into assets (one per
 * {@code ReportHost}) and vulnerability findings (one per {@code ReportItem}). Also used by the
 * connector on the exports it downloads. Stateless and thread-safe; each call parses one file.
 */
public final class NessusFileImporter implements FindingFileImporter {

    /** Connection id in the refs of imported records (a file has no configured connection). */
    static final String IMPORT_CONNECTION = "import";

    private final String connection;

    public NessusFileImporter() {
        this(IMPORT_CONNECTION);
    }

    NessusFileImporter(String connection) {
        this.connection = connection;
    }

    @Override
    public String format() {
        return NessusConnectorFactory.VENDOR;
    }

    @Override
    public ImportSummary importFile(Path file, String tenant, Severity minSeverity, Consumer<Asset> assets,
            Consumer<Finding> findings) {
        return importFile(file, tenant, ExternalRef.of(NessusConnectorFactory.VENDOR, connection,
                file.getFileName().toString()), minSeverity, assets, findings);
    }

    /** Imports with a given scan ref as the findings' source (the connector passes the scan's). */
    ImportSummary importFile(Path file, String tenant, ExternalRef scan, Severity minSeverity,
            Consumer<Asset> assets, Consumer<Finding> findings) {
        return importHosts(file, tenant, scan, minSeverity, 0, () -> false, assets, findings).summary();
    }

    /** What {@link #importHosts} read: the summary, and where it stopped. */
    record HostWindow(ImportSummary summary, int stoppedBefore) {
        /** Whether the file was read to its end. */
        boolean complete() {
            return stoppedBefore < 0;
        }
    }

    /**
     * Imports the hosts from number {@code fromHost} (0 = the first) on, whole hosts only: before a
     * further host starts, {@code enough} is asked, and when it says so the import stops there. The
     * hosts before {@code fromHost} are parsed but not mapped. Lets a caller hand a huge scan on in
     * pages of complete hosts without holding all of it.
     *
     * @return the summary of what was handed on, and the number of the host it stopped before (-1
     *         when the file was read to its end)
     */
    HostWindow importHosts(Path file, String tenant, ExternalRef scan, Severity minSeverity, int fromHost,
            BooleanSupplier enough, Consumer<Asset> assets, Consumer<Finding> findings) {
        try {
            ImportSummary summary = importWindow(file, tenant, scan, minSeverity, fromHost, enough, assets, findings);
            return new HostWindow(summary, -1);
        } catch (StopBeforeHost stop) {
            return new HostWindow(stop.summary, stop.host);
        }
    }

    /** Ends a windowed import at a host boundary; carries what was handed on until then. */
    private static final class StopBeforeHost extends RuntimeException {
        private final int host;
        private final transient ImportSummary summary;

        StopBeforeHost(int host, ImportSummary summary) {
            super(null, null, false, false);
            this.host = host;
            this.summary = summary;
        }
    }

    private ImportSummary importWindow(Path file, String tenant, ExternalRef scan, Severity minSeverity, int fromHost,
            BooleanSupplier enough, Consumer<Asset> assets, Consumer<Finding> findings) {
        Severity threshold = minSeverity == null ? Severity.INFO : minSeverity;
        Instant fileTime = modified(file);
        NessusAssetMapper assetMapper = new NessusAssetMapper(connection);
        NessusFindingMapper findingMapper = new NessusFindingMapper(tenant, scan);
        long[] bySeverity = new long[Severity.values().length];
        long[] counts = new long[2]; // hosts, handed on
        new NessusFileParser(file).parse(new NessusFileParser.Handler() {
            private NessusAssetMapper.HostIdentity id;
            private Instant start;
            private Instant end;
            private final Map<String, Integer> instances = new HashMap<>(); // keys of the current host only

            private int index = -1;
            private boolean skipping;

            @Override
            public void host(NessusHost host) {
                index++;
                skipping = index < fromHost;
                if (skipping) {
                    return;
                }
                if (index > fromHost && enough.getAsBoolean()) {
                    throw new StopBeforeHost(index, summary(counts, bySeverity));
                }
                counts[0]++;
                id = assetMapper.identify(host);
                start = NessusAssetMapper.time(host, "HOST_START");
                Instant e = NessusAssetMapper.time(host, "HOST_END");
                end = e != null ? e : start != null ? start : fileTime;
                instances.clear();
                assets.accept(assetMapper.toAsset(host, id, fileTime));
            }

            @Override
            public void item(NessusHost host, NessusReportItem item) {
                if (skipping) {
                    return;
                }
                Severity severity = NessusFindingMapper.severity(item.severity());
                bySeverity[severity.ordinal()]++;
                int instance = instances.merge(findingMapper.key(id, item), 1, Integer::sum);
                if (severity.isAtLeast(threshold)) {
                    findings.accept(findingMapper.toFinding(host, id, item, instance, start, end));
                    counts[1]++;
                }
            }
        });
        return summary(counts, bySeverity);
    }

    private static ImportSummary summary(long[] counts, long[] bySeverity) {
        Map<Severity, Long> summary = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            summary.put(s, bySeverity[s.ordinal()]);
        }
        return new ImportSummary(counts[0], summary, counts[1]);
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }
}
