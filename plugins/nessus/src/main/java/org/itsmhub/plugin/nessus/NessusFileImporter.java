package org.itsmhub.plugin.nessus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
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

            @Override
            public void host(NessusHost host) {
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
                Severity severity = NessusFindingMapper.severity(item.severity());
                bySeverity[severity.ordinal()]++;
                int instance = instances.merge(findingMapper.key(id, item), 1, Integer::sum);
                if (severity.isAtLeast(threshold)) {
                    findings.accept(findingMapper.toFinding(host, id, item, instance, start, end));
                    counts[1]++;
                }
            }
        });
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
