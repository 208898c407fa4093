package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.util.List;

import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.logging.LogRedaction;

/** Prints one line per sync cycle: read = created + updated + unchanged + skipped + failed. */
final class SummaryTable {

    private static final String FORMAT = "%-24s %-14s %-20s %-10s %7s %8s %8s %10s %8s %7s%n";

    private SummaryTable() {
    }

    static void print(PrintWriter out, List<SyncResult> results) {
        out.printf(FORMAT, "SYNC", "TENANT", "FLOW", "OUTCOME", "READ", "CREATED", "UPDATED", "UNCHANGED", "SKIPPED",
                "FAILED");
        for (SyncResult r : results) {
            out.printf(FORMAT, r.syncId(), r.tenant(), r.flow(), r.outcome(), r.summary().read(),
                    r.summary().created(), r.summary().updated(), r.summary().unchanged(), r.summary().skipped(),
                    r.summary().failed());
        }
        for (SyncResult r : results) {
            if (r.message() != null) {
                out.printf("%s: %s%n", r.syncId(), LogRedaction.redact(r.message()));
            }
        }
        long completed = results.stream().filter(SyncResult::completed).count();
        out.printf("%d of %d sync cycle(s) completed%n", completed, results.size());
    }
}
