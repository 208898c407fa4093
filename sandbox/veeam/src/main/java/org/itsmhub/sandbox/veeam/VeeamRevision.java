package org.itsmhub.sandbox.veeam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The forms a VBR answers in for the revision a request names in {@code x-api-version}. The sandbox
 * keeps its jobs and sessions in the newest forms (1.3) and writes them in the older ones on the way
 * out: per Veeam's documents, 1.1-rev0 and 1.2-rev1 write job status and workload in lower case
 * ({@code running}, {@code vm}) and a VMware backup job's type as {@code Backup}; 1.1-rev0 calls a job's
 * session {@code Job} (1.2 on: {@code BackupJob}) and has {@code activityId} where 1.2 has {@code jobId};
 * 1.2 lists a job's VMs flat with a {@code platform} ({@code VMware}; 1.3: {@code VSphere}) where 1.1
 * nests each as {@code inventoryObject}. Revisions without a document in hand take the forms of their
 * version's (1.1-rev1/rev2 as 1.1-rev0, 1.2-rev0 as 1.2-rev1, 1.3-rev0 as 1.3-rev1).
 */
enum VeeamRevision {
    V1_1, V1_2, V1_3;

    /** What VBR 13.1 accepts (its documents' revision table: supported and deprecated, not 1.0-*). */
    static final List<String> SUPPORTED = List.of("1.1-rev0", "1.1-rev1", "1.1-rev2", "1.2-rev0", "1.2-rev1",
            "1.3-rev0", "1.3-rev1", "1.3-rev2");

    private static final Set<String> RUNNING = Set.of("Running", "Starting", "Stopping");
    /** JobStateModel properties that came with 1.3. */
    private static final List<String> STATE_FIELDS_OF_1_3 = List.of("highPriority", "progressPercent",
            "sessionProgress", "runAfterJob", "nextRunPolicy", "isStorageSnapshot", "backupCopyMode", "targetName");
    private static final Map<String, String> OLD_STATUS = Map.of("running", "Running", "inactive", "Inactive",
            "disabled", "Disabled");

    static Optional<VeeamRevision> of(String header) {
        String v = header.trim();
        if (!SUPPORTED.contains(v)) {
            return Optional.empty();
        }
        return Optional.of(v.startsWith("1.1-") ? V1_1 : v.startsWith("1.2-") ? V1_2 : V1_3);
    }

    List<String> stateColumns() {
        List<String> base = List.of("Name", "Type", "Status", "LastRun", "LastResult", "NextRun", "Description",
                "RepositoryId", "ObjectsCount");
        return this == V1_3 ? concat(base, "RepositoryName", "AfterJobName") : base;
    }

    List<String> sessionColumns() {
        List<String> base = List.of("Name", "SessionType", "CreationTime", "EndTime", "State", "Result");
        return this == V1_3 ? concat(base, "InitiatedBy") : base;
    }

    /** A job state as this revision writes it; {@code stored} is in the newest forms and stays as it is. */
    ObjectNode state(ObjectNode stored) {
        ObjectNode s = stored.deepCopy();
        if (this == V1_3) {
            return s;
        }
        STATE_FIELDS_OF_1_3.forEach(s::remove);
        String status = s.path("status").asText("Inactive");
        s.put("status", RUNNING.contains(status) ? "running" : "Disabled".equals(status) ? "disabled" : "inactive");
        s.put("type", jobType(s.path("type").asText()));
        s.put("workload", lowerFirst(s.path("workload").asText("Vm")));
        return s;
    }

    /** A job's type as this revision writes it: 1.1 and 1.2 know a VMware backup job as {@code Backup}. */
    String jobType(String stored) {
        return this != V1_3 && "VSphereBackup".equals(stored) ? "Backup" : stored;
    }

    /** A job session as this revision writes it. */
    ObjectNode session(ObjectNode stored) {
        ObjectNode s = stored.deepCopy();
        switch (this) {
            case V1_1 -> {
                s.remove(List.of("jobId", "initiatedBy"));
                if ("BackupJob".equals(s.path("sessionType").asText())) {
                    s.put("sessionType", "Job");
                }
            }
            case V1_2 -> s.remove(List.of("activityId", "initiatedBy"));
            case V1_3 -> s.remove("activityId");
        }
        return s;
    }

    /** One included VM of {@code GET /api/v1/jobs} as this revision writes it. */
    ObjectNode include(ObjectNode object, ObjectNode into) {
        if (this == V1_1) {
            into.set("inventoryObject", object.deepCopy());
        } else {
            into.put("platform", this == V1_2 ? "VMware" : "VSphere");
            into.setAll(object.deepCopy());
        }
        return into.put("size", "40 GB");
    }

    /** A job state given in any revision's forms (a seed, the control API), in the newest forms. */
    static ObjectNode newest(ObjectNode job) {
        String status = job.path("status").asText("");
        if (!status.isEmpty()) {
            job.put("status", OLD_STATUS.getOrDefault(status, upperFirst(status)));
        }
        if ("Backup".equals(job.path("type").asText())) {
            job.put("type", "VSphereBackup");
        }
        if (job.hasNonNull("workload")) {
            job.put("workload", upperFirst(job.get("workload").asText()));
        }
        if (!job.has("highPriority")) {
            job.put("highPriority", false);
        }
        if (!job.has("progressPercent")) {
            job.put("progressPercent", RUNNING.contains(job.path("status").asText()) ? 0 : 100);
        }
        return job;
    }

    private static String upperFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    private static List<String> concat(List<String> a, String... more) {
        return java.util.stream.Stream.concat(a.stream(), java.util.Arrays.stream(more)).toList();
    }
}
