package org.itsmhub.plugin.veeam;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.support.json.JsonRecords;
import org.itsmhub.plugin.veeam.dto.VeeamJob;
import org.itsmhub.plugin.veeam.dto.VeeamJobState;
import org.itsmhub.plugin.veeam.dto.VeeamResult;
import org.itsmhub.plugin.veeam.dto.VeeamSession;

import static org.itsmhub.plugin.veeam.VeeamConnectorConfig.*;

/**
 * Findings from the job states of one VBR server and assets from the machines its jobs protect.
 *
 * <p>Whether a backup is stale depends on the time, not only on what changed, so every cycle
 * re-reads all job states (one VBR page per hub page, sorted by name) and ignores
 * {@code ReadRequest.since}; the cursor is the position
 * within the cycle ({@code states:<skip>}) and returns to {@code states:0} at the end. The same
 * holds for assets ({@code jobs:<skip>}). A job whose last run did not succeed (or is running)
 * costs two more calls, for its newest Success and its newest Warning session. Thread-safe (the
 * token cache synchronises itself).
 */
final class VeeamConnector implements Connector, FindingSource, AssetSource {

    private static final String STATES = "states:";
    private static final String JOBS = "jobs:";

    private final VeeamClient client;
    private final VeeamFindingMapper findings;
    private final VeeamAssetMapper assets;
    private final Duration rpoDefault;
    private final Map<String, Duration> rpoPerJob;
    private final Clock clock;

    VeeamConnector(VeeamClient client, VeeamFindingMapper findings, VeeamAssetMapper assets, Duration rpoDefault,
            Map<String, String> rpoPerJob, Clock clock) {
        this.client = client;
        this.findings = findings;
        this.assets = assets;
        this.rpoDefault = rpoDefault;
        Map<String, Duration> rpos = new LinkedHashMap<>();
        rpoPerJob.forEach((job, rpo) -> rpos.put(job, ConfigDef.parseDuration(rpo)));
        this.rpoPerJob = Map.copyOf(rpos);
        this.clock = clock;
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        try {
            client.jobStates(0, 1);
            return List.of();
        } catch (AuthenticationException e) {
            return List.of(new ConfigProblem(USERNAME, "VBR refused the login: " + e.getMessage()));
        } catch (TlsTrust.UntrustedCertificateException e) {
            return List.of(new ConfigProblem(e.key(), e.getMessage()));
        } catch (ConnectorException e) {
            return List.of(new ConfigProblem(BASE_URL, "cannot read job states: " + e.getMessage()));
        }
    }

    /** Every cycle reads all job states and jobs: staleness needs them all, so no time bounds a read. */
    @Override
    public Optional<Instant> firstReadStart(Instant since, Instant now) {
        return Optional.empty();
    }

    @Override
    public Page<Finding> readFindings(ReadRequest request) {
        int skip = position(request.cursor(), STATES);
        VeeamResult<JsonNode> page = client.jobStates(skip, request.pageSize());
        Instant now = clock.instant();
        JsonRecords.Decoded<List<Finding>> read = JsonRecords.each(array(page), "id", node -> {
            VeeamJobState job = VeeamClient.entry(node, VeeamJobState.class, "job state");
            if (job.id() == null || job.name() == null) {
                throw new DataMappingException("Veeam job state without id or name");
            }
            List<Finding> out = new ArrayList<>();
            Finding result = findings.lastResult(job, now);
            if (result != null) {
                out.add(result);
            }
            Finding stale = findings.staleness(job, lastSuccess(job), rpo(job), now);
            if (stale != null) {
                out.add(stale);
            }
            return out;
        });
        List<Finding> out = read.items().stream().flatMap(List::stream).toList();
        return next(out, skip, page, STATES).withRejected(read.rejected());
    }

    @Override
    public Page<Asset> readAssets(ReadRequest request) {
        int skip = position(request.cursor(), JOBS);
        VeeamResult<JsonNode> page = client.jobs(skip, request.pageSize());
        JsonRecords.Decoded<List<Asset>> read = JsonRecords.each(array(page), "id", node -> {
            VeeamJob job = VeeamClient.entry(node, VeeamJob.class, "job");
            if (job.id() == null || job.name() == null) {
                throw new DataMappingException("Veeam job without id or name");
            }
            List<Asset> machines = new ArrayList<>();
            for (VeeamJob.InventoryObject o : job.includedObjects()) {
                if (assets.isMachine(o)) {
                    machines.add(assets.toAsset(job, o));
                }
            }
            return machines;
        });
        Map<String, Asset> out = new LinkedHashMap<>();
        read.items().forEach(machines -> machines.forEach(a -> out.putIfAbsent(a.ref().id(), a)));
        return next(new ArrayList<>(out.values()), skip, page, JOBS).withRejected(read.rejected());
    }

    private static JsonNode array(VeeamResult<JsonNode> page) {
        return JsonCodec.mapper().createArrayNode().addAll(page.items().stream()
                .map(n -> n == null ? (JsonNode) com.fasterxml.jackson.databind.node.NullNode.getInstance() : n)
                .toList());
    }

    /** Start of the newest run that produced a restore point (Success or Warning), or null. */
    private Instant lastSuccess(VeeamJobState job) {
        if (!VeeamFindingMapper.inProgress(job.status())
                && ("Success".equalsIgnoreCase(job.lastResult()) || "Warning".equalsIgnoreCase(job.lastResult()))) {
            return VeeamFindingMapper.instant(job.lastRun(), "lastRun of job " + job.id());
        }
        // both results leave a restore point; API 1.1 takes one resultFilter value per call
        Instant newest = null;
        for (String result : List.of("Success", "Warning")) {
            List<VeeamSession> sessions = client.latestSessionOfJob(job.id(), result).items();
            if (!sessions.isEmpty()) {
                Instant started = VeeamFindingMapper.instant(sessions.get(0).creationTime(),
                        "creationTime of session " + sessions.get(0).id());
                if (started != null && (newest == null || started.isAfter(newest))) {
                    newest = started;
                }
            }
        }
        return newest;
    }

    private Duration rpo(VeeamJobState job) {
        Duration byId = rpoPerJob.get(job.id());
        return byId != null ? byId : rpoPerJob.getOrDefault(job.name(), rpoDefault);
    }

    private static <T> Page<T> next(List<T> items, int skip, VeeamResult<?> page, String prefix) {
        int read = page.items().size();
        Integer total = page.pagination() == null ? null : page.pagination().total();
        boolean more = read > 0 && (total == null || skip + read < total);
        return new Page<>(items, Cursor.of(prefix + (more ? skip + read : 0)), more);
    }

    private static int position(Cursor cursor, String prefix) {
        if (cursor == null) {
            return 0;
        }
        String v = cursor.value();
        try {
            if (v.startsWith(prefix)) {
                return Math.max(0, Integer.parseInt(v.substring(prefix.length())));
            }
        } catch (NumberFormatException bad) {
            // reported below
        }
        throw new DataMappingException("not a Veeam cursor: '" + v + "'");
    }

    @Override
    public void close() {
        // the OkHttp client is shared per plugin; nothing of our own to release
    }
}
