package org.itsmhub.plugin.nessus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.Severity;
import org.itsmhub.plugin.nessus.dto.NessusScanList;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.time.Instants;

import static org.itsmhub.plugin.nessus.NessusConnectorConfig.*;

/**
 * Findings and assets from the completed scans of one Nessus server, one scan per page, oldest
 * change first: lists the scans, exports the next completed one newer than the cursor as
 * {@code .nessus}, waits until the export is ready, streams it to a temporary file and parses it
 * with the file importer, handing it on in pages of whole hosts (each page a complete observation
 * of the hosts on it). The cursor is {@code LAST_MODIFICATION_DATE:SCAN_ID} of the last scan read,
 * with {@code :HOSTS} added while a scan is read in pages.
 *
 * <p>Nessus Professional refuses to create or launch scans over its API, and the connector needs
 * neither: it only reads. Thread-safe: reads are serialised, since the export of the scan being
 * paged through is kept in one temporary file until its last page (or {@link #close}).
 */
final class NessusConnector implements Connector, FindingSource, AssetSource {

    /** Records per page at least, whatever the sync asks: each page parses the export again up to its end. */
    static final int MIN_PAGE = 5000;

    private final NessusClient client;
    private final String tenant;
    private final String connection;
    private final Integer folderId;
    private final Duration initialSince;
    private final Severity minSeverity;
    private final Duration pollInterval;
    private final Duration exportTimeout;
    private final Clock clock;
    private final String webUrl;
    private KeptExport kept;

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
        String base = config.getUrl(BASE_URL).toString();
        this.webUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        try {
            client.listScans(folderId, clock.instant().getEpochSecond());
            return List.of();
        } catch (AuthenticationException e) {
            return List.of(new ConfigProblem(ACCESS_KEY, "Nessus refused the API keys: " + e.getMessage()));
        } catch (TlsTrust.UntrustedCertificateException e) {
            return List.of(new ConfigProblem(e.key(), e.getMessage()));
        } catch (ConnectorException e) {
            return List.of(new ConfigProblem(BASE_URL, "cannot list scans: " + e.getMessage()));
        }
    }

    /** A scan lists every item it found on each host it scanned; an item missing from it went away. */
    @Override
    public Clearing clearing() {
        return Clearing.BY_ABSENCE;
    }

    /** last_modification_date has whole seconds: a start between two seconds means the later one. */
    @Override
    public Optional<Instant> firstReadStart(Instant since, Instant now) {
        return Optional.of(Instants.ceil(since != null ? since : now.minus(initialSince), ChronoUnit.SECONDS));
    }

    @Override
    public Page<Finding> readFindings(ReadRequest request) {
        return readNextScan(request, true);
    }

    @Override
    public Page<Asset> readAssets(ReadRequest request) {
        return readNextScan(request, false);
    }

    /**
     * The next page: whole hosts of the scan in progress, or of the oldest completed scan newer than
     * the cursor. A scan is exported and downloaded once and kept in a temporary file while its
     * pages are read; each page parses the file again up to its end, which is why a page holds at
     * least {@value #MIN_PAGE} records.
     */
    @SuppressWarnings("unchecked")
    private synchronized <T> Page<T> readNextScan(ReadRequest request, boolean findings) {
        Position after = request.cursor() != null ? Position.parse(request.cursor().value())
                : new Position(firstReadStart(request.since(), clock.instant()).orElseThrow().getEpochSecond(), -1, -1);
        List<NessusScanList.Scan> completed = client.listScans(folderId, Math.max(0, after.modified() - 1)).stream()
                .filter(s -> "completed".equalsIgnoreCase(s.status()) && s.lastModificationDate() != null)
                .sorted(Comparator.comparingLong(NessusScanList.Scan::lastModificationDate)
                        .thenComparingLong(NessusScanList.Scan::id))
                .toList();
        Optional<NessusScanList.Scan> inProgress = after.hostsDone() < 0 ? Optional.empty() : completed.stream()
                .filter(s -> s.id() == after.scanId() && s.lastModificationDate() == after.modified()).findFirst();
        List<NessusScanList.Scan> newer = completed.stream()
                .filter(s -> after.isBefore(s.lastModificationDate(), s.id())).toList();
        if (inProgress.isEmpty() && newer.isEmpty()) {
            return Page.last(List.of(), Cursor.of(after.finished().toString()));
        }
        // a scan in progress that was run again meanwhile is left: its new run is among the newer ones
        NessusScanList.Scan scan = inProgress.isPresent() ? inProgress.get() : newer.get(0);
        int fromHost = inProgress.isPresent() ? after.hostsDone() : 0;
        List<Object> items = new ArrayList<>();
        Path file = export(scan);
        // the scan's results in the Nessus web UI, where an engineer continues from a ticket
        ExternalRef ref = new ExternalRef(NessusConnectorFactory.VENDOR, connection, Long.toString(scan.id()),
                webUrl + "/#/scans/reports/" + scan.id() + "/hosts");
        String observation = "scan " + scan.id() + " completed " + Instant.ofEpochSecond(scan.lastModificationDate());
        int pageSize = Math.max(request.pageSize(), MIN_PAGE);
        Position read = new Position(scan.lastModificationDate(), scan.id(), -1);
        NessusFileImporter.HostWindow window;
        try {
            window = new NessusFileImporter(connection).importHosts(file, tenant, ref,
                    findings ? minSeverity : Severity.CRITICAL, fromHost, () -> items.size() >= pageSize,
                    findings ? a -> { } : items::add, findings ? f -> items.add(observedIn(f, observation)) : f -> { });
        } catch (DataMappingException unreadable) {
            // a broken export must not block the later scans: this run is rejected as a whole (what it
            // handed on before the error is dropped, so nothing is taken as observed absent) and the
            // cursor moves past it
            RejectedRecord rejected = rejectedScan(scan, file, unreadable);
            forgetExport();
            boolean moreScans = newer.stream().anyMatch(s -> read.isBefore(s.lastModificationDate(), s.id()));
            return new Page<>(List.of(), Cursor.of(read.toString()), moreScans, List.of(rejected));
        }
        if (!window.complete()) {
            return new Page<>((List<T>) items, Cursor.of(new Position(read.modified(), read.scanId(),
                    window.stoppedBefore()).toString()), true);
        }
        forgetExport();
        boolean moreScans = newer.stream().anyMatch(s -> read.isBefore(s.lastModificationDate(), s.id()));
        return new Page<>((List<T>) items, Cursor.of(read.toString()), moreScans);
    }

    /** A scan run whose export cannot be read, with the start of the file (the whole may be hundreds of MB). */
    private static RejectedRecord rejectedScan(NessusScanList.Scan scan, Path file, DataMappingException e) {
        String id = "scan " + scan.id() + " run " + scan.lastModificationDate();
        long size;
        String head;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            head = new String(in.readNBytes(RejectedRecord.MAX_RAW_BYTES), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException notReadable) {
            size = 0;
            head = "";
        }
        RejectedRecord cut = RejectedRecord.of(id, "Nessus " + e.getMessage(), head);
        return new RejectedRecord(id, cut.reason(), cut.raw(), Math.max(size, cut.rawSize()));
    }

    /** The downloaded export of this scan run: the one kept from the previous page, or a new download. */
    private Path export(NessusScanList.Scan scan) {
        if (kept != null && kept.scanId() == scan.id() && kept.modified() == scan.lastModificationDate()
                && Files.exists(kept.file())) {
            return kept.file();
        }
        forgetExport();
        Path file = download(scan);
        kept = new KeptExport(scan.id(), scan.lastModificationDate(), file);
        return file;
    }

    private void forgetExport() {
        if (kept != null) {
            deleteQuietly(kept.file());
            kept = null;
        }
    }

    /** A downloaded export, kept while the pages of its scan are read. */
    private record KeptExport(long scanId, long modified, Path file) {
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
    public synchronized void close() {
        forgetExport(); // the OkHttp client is shared per plugin; the kept export is ours
    }

    /**
     * Where a read stands: the last scan read, by modification time and id, and — while a scan is
     * read in pages — how many of its hosts were handed on ({@code -1}: the scan was read to its end).
     * Written {@code MODIFIED:SCAN_ID} or {@code MODIFIED:SCAN_ID:HOSTS}.
     */
    record Position(long modified, long scanId, int hostsDone) {

        static Position parse(String value) {
            String[] parts = value.split(":", -1);
            try {
                return switch (parts.length) {
                    case 1 -> new Position(Long.parseLong(parts[0]), -1, -1);
                    case 2 -> new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]), -1);
                    case 3 -> new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                            Integer.parseInt(parts[2]));
                    default -> throw new NumberFormatException();
                };
            } catch (NumberFormatException e) {
                throw new org.itsmhub.api.error.DataMappingException("not a Nessus cursor: '" + value + "'");
            }
        }

        /** This position with its scan read to the end. */
        Position finished() {
            return new Position(modified, scanId, -1);
        }

        boolean isBefore(long otherModified, long otherId) {
            return otherModified > modified || (otherModified == modified && otherId > scanId);
        }

        @Override
        public String toString() {
            return modified + ":" + scanId + (hostsDone < 0 ? "" : ":" + hostsDone);
        }
    }

}
