package org.itsmhub.sandbox.nessus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRequest;
import org.itsmhub.sandbox.SandboxResponse;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.sandbox.VendorSandbox;

/**
 * A stateful fake of the Nessus REST API subset the Nessus connector uses: {@code GET /scans} (folders
 * and scans, {@code folder_id} and {@code last_modification_date} filters), {@code POST /scans/{id}/export}
 * ({@code nessus} format), {@code GET /scans/{id}/export/{file}/status} ({@code loading}, then
 * {@code ready}) and {@code GET /scans/{id}/export/{file}/download}, with {@code X-ApiKeys} auth and
 * Nessus' {@code {"error": "..."}} bodies.
 *
 * <p>Every seed is one {@code .nessus} (v2) file, served as one completed scan named after its
 * {@code <Report name>}, in the "My Scans" folder, or in a custom folder named by the seed's qualifier
 * ({@code --seed Servers=scan.nessus}). Only the file's path is kept; a download streams it from disk, and
 * WireMock's request journal keeps at most the first {@value #LOGGED_BODY_BYTES} bytes of any answer.
 *
 * <p>The control API under {@code /__sandbox/} (no auth) does what the Nessus API cannot: complete a new
 * scan ({@code POST /__sandbox/scans}), complete a scan again ({@code POST /__sandbox/scans/{id}/complete}),
 * and list what is served ({@code GET /__sandbox/scans}). A completion always gets a
 * {@code last_modification_date} later than every scan before it.
 */
public final class NessusSandbox extends VendorSandbox {

    /** Bytes of each answer's body kept in the request journal (every JSON answer here is smaller). */
    static final int LOGGED_BODY_BYTES = 64 * 1024;

    public static final String DEFAULT_ACCESS_KEY = "sandbox-access-key";
    public static final String DEFAULT_SECRET_KEY = "sandbox-secret-key";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRASH_FOLDER = 2;
    private static final int MY_SCANS_FOLDER = 3;
    private static final String UNAUTHORIZED = "{\"error\":\"Invalid Credentials\"}";
    private static final String SCAN_NOT_FOUND = "{\"error\":\"Scan not found\"}";
    private static final String EXPORT_NOT_FOUND = "{\"error\":\"The requested file was not found.\"}";

    private final String accessKey;
    private final String secretKey;
    private final int loadingPolls;
    private final TreeMap<Long, Scan> scans = new TreeMap<>();
    private final Map<Integer, Folder> folders = new LinkedHashMap<>();
    private final Map<Long, Export> exports = new HashMap<>();
    private final List<Path> uploads = new ArrayList<>();
    private long nextScanId = 5;
    private int nextFolderId = 4;
    private long nextFileId = 1_064_530_011L;
    private long latestModification;
    private final SandboxRoutes routes = buildRoutes();

    /** One scan: its export file and when it last completed. */
    private static final class Scan {
        final long id;
        final NessusExportFile export;
        final String name;
        final int folderId;
        final long creationDate;
        long lastModificationDate;

        Scan(long id, NessusExportFile export, String name, int folderId, long creationDate, long lastModificationDate) {
            this.id = id;
            this.export = export;
            this.name = name;
            this.folderId = folderId;
            this.creationDate = creationDate;
            this.lastModificationDate = lastModificationDate;
        }
    }

    private record Folder(int id, String name, String type) {
    }

    /** A requested export: which scan, and how often its status was asked. */
    private static final class Export {
        final long scanId;
        final NessusExportFile file;
        int statusChecks;

        Export(long scanId, NessusExportFile file) {
            this.scanId = scanId;
            this.file = file;
        }
    }

    /**
     * @param options      the usual sandbox options; every seed is a {@code .nessus} file
     * @param clock        the sandbox's time (scan dates, {@code timestamp})
     * @param accessKey    the access key it accepts
     * @param secretKey    the secret key it accepts
     * @param loadingPolls how many status checks of an export answer {@code loading} before {@code ready}
     */
    public NessusSandbox(SandboxOptions options, Clock clock, String accessKey, String secretKey, int loadingPolls) {
        super(options, clock);
        if (loadingPolls < 0) {
            throw new IllegalArgumentException("loadingPolls must not be negative");
        }
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.loadingPolls = loadingPolls;
        folders.put(TRASH_FOLDER, new Folder(TRASH_FOLDER, "Trash", "trash"));
        folders.put(MY_SCANS_FOLDER, new Folder(MY_SCANS_FOLDER, "My Scans", "main"));
    }

    /** Accepts the given keys; the first status check of an export answers {@code loading}. */
    public NessusSandbox(SandboxOptions options, Clock clock, String accessKey, String secretKey) {
        this(options, clock, accessKey, secretKey, 1);
    }

    @Override
    public String vendor() {
        return "nessus";
    }

    @Override
    public String credentials() {
        return "X-ApiKeys: accessKey=" + accessKey + "; secretKey=" + secretKey;
    }

    @Override
    protected void seed(SandboxOptions.Seed seed) {
        complete(NessusExportFile.of(seed.file()), null, seed.qualifier() == null ? MY_SCANS_FOLDER
                : folderNamed(seed.qualifier()));
    }

    /**
     * Adds a newly completed scan served from {@code file} (tests, demos), as {@code POST /__sandbox/scans}
     * does; returns its id.
     */
    public synchronized long addCompletedScan(Path file) {
        return complete(NessusExportFile.of(file), null, MY_SCANS_FOLDER).id;
    }

    private Scan complete(NessusExportFile file, String name, int folderId) {
        long now = now();
        long modified = Math.max(now, latestModification + 1);
        latestModification = modified;
        long id = nextScanId++;
        Scan scan = new Scan(id, file, name == null || name.isBlank() ? file.reportName() : name, folderId,
                Math.min(now, modified) - 60, modified);
        scans.put(id, scan);
        return scan;
    }

    private int folderNamed(String name) {
        for (Folder f : folders.values()) {
            if (f.name().equals(name)) {
                return f.id();
            }
        }
        int id = nextFolderId++;
        folders.put(id, new Folder(id, name, "custom"));
        return id;
    }

    @Override
    public synchronized void close() {
        super.close();
        for (Path upload : uploads) {
            try {
                Files.deleteIfExists(upload);
            } catch (IOException e) {
                upload.toFile().deleteOnExit();
            }
        }
        uploads.clear();
    }

    @Override
    protected SandboxResponse handle(SandboxRequest r) {
        Optional<SandboxResponse> answer = routes.dispatch(r);
        if (answer.isPresent()) {
            return answer.get();
        }
        if (r.path().startsWith("/__sandbox/")) {
            return error(404, "no sandbox control " + r.method() + " " + r.path().replace("\"", "").replace("\\", "")
                    + "; see docs/connectors/nessus.md");
        }
        return authorized(r, () -> SandboxResponse.json(404, "{\"error\":\"The requested resource was not found in "
                + "the sandbox: " + r.method() + " " + r.path().replace("\"", "").replace("\\", "") + "\"}"));
    }

    @Override
    public SandboxRoutes routes() {
        return routes;
    }

    private SandboxRoutes buildRoutes() {
        return new SandboxRoutes()
                .post("/__sandbox/scans", "sandbox control: a new scan completes, from `{\"file\": PATH, \"name\"?, "
                        + "\"folder\"?}` or the `.nessus` content as the body", (r, p) -> control(() -> addScan(r)))
                .get("/__sandbox/scans", "sandbox control: every served scan with its file and size",
                        (r, p) -> control(this::controlList))
                .post("/__sandbox/scans/{id}/complete", "sandbox control: the scan completes again, with a new "
                        + "`last_modification_date`", (r, p) -> control(() -> withScan(p, this::completeAgain)))
                .get("/scans", "folders and scans; `folder_id`, `last_modification_date` (scans changed after it)",
                        (r, p) -> authorized(r, () -> listScans(r)))
                .post("/scans/{id}/export", "requests an export `{\"format\": \"nessus\"}`; answers `file` and `token`",
                        (r, p) -> authorized(r, () -> withScan(p, scan -> requestExport(scan, r))))
                .get("/scans/{id}/export/{file}/status", "export status: `loading`, then `ready`",
                        (r, p) -> authorized(r, () -> withScan(p, scan -> withExport(scan, p.get("file"),
                                this::exportStatus))))
                .get("/scans/{id}/export/{file}/download", "the `.nessus` file, streamed; 409 until the status was `ready`",
                        (r, p) -> authorized(r, () -> withScan(p, scan -> withExport(scan, p.get("file"),
                                export -> download(scan, export)))));
    }

    private SandboxResponse authorized(SandboxRequest r, Supplier<SandboxResponse> next) {
        return authorized(r.header("X-ApiKeys").orElse("")) ? next.get() : SandboxResponse.json(401, UNAUTHORIZED);
    }

    /** {@code accessKey=...; secretKey=...}, in any order, spaces around the parts ignored. */
    private boolean authorized(String header) {
        String access = null;
        String secret = null;
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (name.equals("accessKey")) {
                access = value;
            } else if (name.equals("secretKey")) {
                secret = value;
            }
        }
        return accessKey.equals(access) && secretKey.equals(secret);
    }

    // --- the Nessus API

    private SandboxResponse listScans(SandboxRequest r) {
        Integer folder = null;
        Long since = null;
        try {
            if (r.queryParam("folder_id").isPresent()) {
                folder = Integer.valueOf(r.queryParam("folder_id").get());
            }
        } catch (NumberFormatException e) {
            return error(400, "Invalid 'folder_id' field");
        }
        try {
            if (r.queryParam("last_modification_date").isPresent()) {
                since = Long.valueOf(r.queryParam("last_modification_date").get());
            }
        } catch (NumberFormatException e) {
            return error(400, "Invalid 'last_modification_date' field");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode folderList = out.putArray("folders");
        for (Folder f : folders.values()) {
            ObjectNode o = folderList.addObject();
            o.put("unread_count", scans.values().stream().filter(s -> s.folderId == f.id()).count());
            o.put("custom", f.type().equals("custom") ? 1 : 0);
            o.put("default_tag", f.type().equals("main") ? 1 : 0);
            o.put("type", f.type());
            o.put("name", f.name());
            o.put("id", f.id());
        }
        List<Scan> matching = new ArrayList<>();
        for (Scan s : scans.values()) {
            if ((folder == null || s.folderId == folder) && (since == null || s.lastModificationDate > since)) {
                matching.add(s);
            }
        }
        if (matching.isEmpty()) {
            out.putNull("scans"); // Nessus answers null, not [], when no scan matches
        } else {
            matching.sort(Comparator.comparingLong((Scan s) -> s.lastModificationDate).reversed()
                    .thenComparingLong(s -> s.id));
            ArrayNode list = out.putArray("scans");
            matching.forEach(s -> list.add(view(s)));
        }
        out.put("timestamp", now());
        return SandboxResponse.json(200, write(out));
    }

    private ObjectNode view(Scan s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("folder_id", s.folderId);
        o.put("type", "local");
        o.put("read", false);
        o.put("last_modification_date", s.lastModificationDate);
        o.put("creation_date", s.creationDate);
        o.put("status", "completed");
        o.put("uuid", UUID.nameUUIDFromBytes(("nessus-sandbox-scan-" + s.id + "-" + s.lastModificationDate)
                .getBytes(StandardCharsets.UTF_8)).toString());
        o.put("shared", false);
        o.put("user_permissions", 128);
        o.put("owner", "admin");
        o.put("schedule_uuid", "template-" + UUID.nameUUIDFromBytes(("nessus-sandbox-schedule-" + s.id)
                .getBytes(StandardCharsets.UTF_8)));
        o.putNull("timezone");
        o.putNull("rrules");
        o.putNull("starttime");
        o.put("enabled", false);
        o.put("control", true);
        o.put("live_results", 0);
        o.put("name", s.name);
        o.put("id", s.id);
        o.put("legacy", false);
        o.put("permissions", 128);
        return o;
    }

    private SandboxResponse requestExport(Scan scan, SandboxRequest r) {
        JsonNode body;
        try {
            body = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.bodyAsString());
        } catch (IOException e) {
            return error(400, "Invalid JSON body");
        }
        String format = body == null ? "" : body.path("format").asText("");
        if (format.isEmpty()) {
            return error(400, "Invalid 'format' field");
        }
        if (!format.equals("nessus")) {
            return error(400, "Export format '" + format.replace("\"", "") + "' is not offered by the sandbox (only nessus)");
        }
        long file = nextFileId++;
        exports.put(file, new Export(scan.id, scan.export));
        ObjectNode out = JSON.createObjectNode();
        out.put("file", file);
        out.put("token", UUID.nameUUIDFromBytes(("nessus-sandbox-export-" + file).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", ""));
        return SandboxResponse.json(200, write(out));
    }

    private SandboxResponse exportStatus(Export export) {
        String status = export.statusChecks++ < loadingPolls ? "loading" : "ready";
        return SandboxResponse.json(200, "{\"status\":\"" + status + "\"}");
    }

    private SandboxResponse download(Scan scan, Export export) {
        if (loadingPolls > 0 && export.statusChecks <= loadingPolls) { // no status check answered ready yet
            return error(409, "Report is still being generated");
        }
        if (!Files.isReadable(export.file.file())) {
            throw new UncheckedIOException(new IOException("cannot read the export of scan " + scan.id + " ("
                    + export.file.file() + ")"));
        }
        String fileName = scan.name.replaceAll("[^A-Za-z0-9._-]+", "_") + "_" + Long.toString(export.scanId, 36)
                + ".nessus";
        // streamed from disk as it is sent: an export can be far larger than the heap
        return SandboxResponse.file(200, Map.of("Content-Type", "application/octet-stream",
                "Content-Disposition", "attachment; filename=\"" + fileName + "\""), export.file.file());
    }

    private SandboxResponse withScan(Map<String, String> params, java.util.function.Function<Scan, SandboxResponse> f) {
        Scan scan;
        try {
            scan = scans.get(Long.parseLong(params.get("id")));
        } catch (NumberFormatException e) {
            scan = null;
        }
        return scan == null ? SandboxResponse.json(404, SCAN_NOT_FOUND) : f.apply(scan);
    }

    private SandboxResponse withExport(Scan scan, String fileId, java.util.function.Function<Export, SandboxResponse> f) {
        Export export;
        try {
            export = exports.get(Long.parseLong(fileId));
        } catch (NumberFormatException e) {
            export = null;
        }
        return export == null || export.scanId != scan.id ? SandboxResponse.json(404, EXPORT_NOT_FOUND) : f.apply(export);
    }

    // --- the control API

    private static SandboxResponse control(Supplier<SandboxResponse> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
    }

    private SandboxResponse controlList() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("scans");
        for (Scan s : scans.values()) {
            list.add(view(s).put("file", s.export.file().toString()).put("bytes", s.export.size()));
        }
        return SandboxResponse.json(200, write(out));
    }

    private SandboxResponse completeAgain(Scan scan) {
        long modified = Math.max(now(), latestModification + 1);
        latestModification = modified;
        scan.lastModificationDate = modified;
        return SandboxResponse.json(200, write(view(scan)));
    }

    /**
     * {@code POST /__sandbox/scans}: JSON {@code {"file": PATH, "name": ..., "folder": ...}}, or the
     * {@code .nessus} content itself as the body (with {@code ?name=} and {@code ?folder=} as options).
     */
    private SandboxResponse addScan(SandboxRequest r) {
        String body = r.bodyAsString();
        String trimmed = body.stripLeading().replace("\uFEFF", "");
        NessusExportFile file;
        String name;
        String folder;
        if (trimmed.startsWith("<")) {
            Path upload;
            try {
                upload = Files.createTempFile("nessus-sandbox-", ".nessus");
                Files.write(upload, r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store the uploaded scan", e);
            }
            uploads.add(upload);
            file = NessusExportFile.of(upload);
            name = r.queryParam("name").orElse(null);
            folder = r.queryParam("folder").orElse(null);
        } else {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return error(400, "expected {\"file\": \"/path/to/scan.nessus\"} or the .nessus content as the body");
            }
            if (json == null || !json.path("file").isTextual() || json.path("file").asText().isBlank()) {
                return error(400, "expected {\"file\": \"/path/to/scan.nessus\"} or the .nessus content as the body");
            }
            file = NessusExportFile.of(Path.of(json.get("file").asText()).toAbsolutePath());
            name = json.path("name").isTextual() ? json.get("name").asText() : null;
            folder = json.path("folder").isTextual() ? json.get("folder").asText() : null;
        }
        Scan scan = complete(file, name, folder == null || folder.isBlank() ? MY_SCANS_FOLDER : folderNamed(folder));
        return SandboxResponse.json(201, write(view(scan)));
    }

    // --- Nessus' 429 and 5xx, in its error envelope

    /** A download is never held in WireMock's request journal: only its beginning. */
    @Override
    protected Integer maxLoggedResponseSize() {
        return LOGGED_BODY_BYTES;
    }

    @Override
    protected SandboxResponse rateLimited(Duration retryAfter) {
        return error(429, "Too Many Requests")
                .withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }

    @Override
    protected SandboxResponse serverError() {
        return error(503, "Service Unavailable");
    }

    // --- helpers

    private long now() {
        return clock().instant().getEpochSecond();
    }

    private static SandboxResponse error(int status, String message) {
        return SandboxResponse.json(status, write(JSON.createObjectNode().put("error", message)));
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
