package org.itsmhub.plugin.nessus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.Severity;
import org.itsmhub.plugin.nessus.dto.NessusScanList;

import static org.itsmhub.plugin.nessus.NessusConnectorConfig.*;

/**
 * Findings and assets from the completed scans of one Nessus server, one scan per page, oldest
 * change first: lists the scans, exports the next completed one newer than the cursor as
 * {@code .nessus}, waits until the export is ready, streams it to a temporary file and parses it
 * with the file importer. The cursor is {@code LAST_MODIFICATION_DATE:SCAN_ID} of the last scan read.
 *
 * <p>Nessus Professional refuses to create or launch scans over its API, and the connector needs
 * neither: it only reads. Thread-safe (no mutable state; every read uses its own temporary file).
 */
final class NessusConnector implements Connector, FindingSource, AssetSource {

    private final NessusClient client;
    private final String tenant;
    private final String connection;
    private final Integer folderId;
    private final Duration initialSince;
    private final Severity minSeverity;
    private final Duration pollInterval;
    private final Duration exportTimeout;
    private final Clock clock;

    NessusConnector(NessusClient client, String tenant, String connection, ConnectorConfig config, Clock clock) {
        this.client = client;
        this.tenant = tenant;
        this.connection = connection;
        this.folderId = config.has(FOLDER_ID) ? config.getInt(FOLDER_ID) : null;
        this.initialSince = config.getDuration(INITIAL_SINCE);
        this.minSeverity = Severity.valueOf(config.getString(MIN_SEVERITY).toUpperCase(Locale.ROOT));
        this.pollInterval = config.getDuration(EXPORT_POLL_INTERVAL);
        this.exportTimeout = config.getDuration(EXPORT_TIMEOUT);
        this.clock = clock;
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        try {
            client.listScans(folderId, clock.instant().getEpochSecond());
            return List.of();
        } catch (AuthenticationException e) {
            return List.of(new ConfigProblem(ACCESS_KEY, "Nessus refused the API keys: " + e.getMessage()));
        } catch (ConnectorException e) {
            return List.of(new ConfigProblem(BASE_URL, "cannot list scans: " + e.getMessage()));
        }
    }

    /** A scan lists every item it found on each host it scanned; an item missing from it went away. */
    @Override
    public Clearing clearing() {
        return Clearing.BY_ABSENCE;
    }

    @Override
    public Page<Finding> readFindings(ReadRequest request) {
        return readNextScan(request, true);
    }

    @Override
    public Page<Asset> readAssets(ReadRequest request) {
        return readNextScan(request, false);
    }

    @SuppressWarnings("unchecked")
    private <T> Page<T> readNextScan(ReadRequest request, boolean findings) {
        Position after = request.cursor() != null ? Position.parse(request.cursor().value())
                : new Position(Optional.ofNullable(request.since()).orElse(clock.instant().minus(initialSince))
                        .getEpochSecond(), -1);
        List<NessusScanList.Scan> newer = client.listScans(folderId, Math.max(0, after.modified() - 1)).stream()
                .filter(s -> "completed".equalsIgnoreCase(s.status()) && s.lastModificationDate() != null)
                .filter(s -> after.isBefore(s.lastModificationDate(), s.id()))
                .sorted(Comparator.comparingLong(NessusScanList.Scan::lastModificationDate)
                        .thenComparingLong(NessusScanList.Scan::id))
                .toList();
        if (newer.isEmpty()) {
            return Page.last(List.of(), request.cursor() != null ? request.cursor()
                    : Cursor.of(new Position(after.modified(), after.scanId()).toString()));
        }
        NessusScanList.Scan scan = newer.get(0);
        List<Object> items = new ArrayList<>();
        Path file = download(scan);
        try {
            ExternalRef ref = ExternalRef.of(NessusConnectorFactory.VENDOR, connection, Long.toString(scan.id()));
            String observation = "scan " + scan.id() + " completed " + Instant.ofEpochSecond(scan.lastModificationDate());
            new NessusFileImporter(connection).importFile(file, tenant, ref, findings ? minSeverity : Severity.CRITICAL,
                    findings ? a -> { } : items::add, findings ? f -> items.add(observedIn(f, observation)) : f -> { });
        } finally {
            deleteQuietly(file);
        }
        Cursor next = Cursor.of(new Position(scan.lastModificationDate(), scan.id()).toString());
        return new Page<>((List<T>) items, next, newer.size() > 1);
    }

    /**
     * Names the scan run the finding comes from: one run is one observation of its hosts, and a
     * scan run again (same file content, new completion) is a new one.
     */
    private static Finding observedIn(Finding f, String observation) {
        Map<String, String> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put(Finding.OBSERVATION, observation);
        return new Finding(f.key(), f.kind(), f.severity(), f.state(), f.title(), f.detail(), f.solution(), f.source(),
                f.asset(), evidence, f.firstSeen(), f.lastSeen());
    }

    private Path download(NessusScanList.Scan scan) {
        String fileId = client.requestExport(scan.id());
        long deadline = System.nanoTime() + exportTimeout.toNanos();
        while (!client.exportReady(scan.id(), fileId)) {
            if (System.nanoTime() > deadline) {
                throw new RetriableException("export " + fileId + " of Nessus scan " + scan.id() + " was not ready after "
                        + exportTimeout);
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableException("interrupted while waiting for the export of scan " + scan.id(), e);
            }
        }
        Path file;
        try {
            file = Files.createTempFile("itsmhub-nessus-" + scan.id() + "-", ".nessus");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the export of scan " + scan.id(), e);
        }
        try {
            client.download(scan.id(), fileId, file);
            return file;
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    @Override
    public void close() {
        // the OkHttp client is shared per plugin; nothing of our own to release
    }

    /** Where a read stands: the last scan read, by modification time and id. */
    record Position(long modified, long scanId) {

        static Position parse(String value) {
            int colon = value.indexOf(':');
            try {
                return colon < 0 ? new Position(Long.parseLong(value), -1)
                        : new Position(Long.parseLong(value.substring(0, colon)),
                                Long.parseLong(value.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new org.itsmhub.api.error.DataMappingException("not a Nessus cursor: '" + value + "'");
            }
        }

        boolean isBefore(long otherModified, long otherId) {
            return otherModified > modified || (otherModified == modified && otherId > scanId);
        }

        @Override
        public String toString() {
            return modified + ":" + scanId;
        }
    }

}
