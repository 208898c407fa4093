package org.itsmhub.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.itsmhub.runtime.flow.SyncResult;

/**
 * The demo's tables, printed once per cycle: one line per sync (its counts add up, read = created +
 * updated + unchanged + skipped + failed), then one line per tenant with the cycle counts added up,
 * the tickets in each of the tenant's ticket systems and the CIs in its CMDB, as the vendors' own APIs
 * report them.
 */
final class DemoSummary {

    private static final String SYNC_FORMAT = "  %-18s %-9s %-20s %-10s %6s %8s %8s %10s %8s %7s%n";
    private static final String TENANT_FORMAT = "  %-9s %5s %6s %8s %8s %10s %8s %7s  %-27s %8s%n";

    private DemoSummary() {
    }

    static void print(PrintWriter out, Collection<SyncResult> results, DemoScenario scenario) {
        out.printf(SYNC_FORMAT, "SYNC", "TENANT", "FLOW", "OUTCOME", "READ", "CREATED", "UPDATED", "UNCHANGED",
                "SKIPPED", "FAILED");
        for (SyncResult r : results) {
            out.printf(SYNC_FORMAT, r.syncId(), r.tenant(), r.flow(), r.outcome(), r.summary().read(),
                    r.summary().created(), r.summary().updated(), r.summary().unchanged(), r.summary().skipped(),
                    r.summary().failed());
        }
        for (SyncResult r : results) {
            if (r.message() != null) {
                out.printf("  %s: %s%n", r.syncId(), r.message());
            }
        }
        out.println();
        out.printf(TENANT_FORMAT, "TENANT", "SYNCS", "READ", "CREATED", "UPDATED", "UNCHANGED", "SKIPPED", "FAILED",
                "TICKETS", "CMDB CIs");
        for (Map.Entry<String, List<DemoScenario.Counted>> tenant : scenario.counted().entrySet()) {
            List<SyncResult> mine = results.stream().filter(r -> r.tenant().equals(tenant.getKey())).toList();
            List<String> tickets = new ArrayList<>();
            for (DemoScenario.Counted c : tenant.getValue()) {
                tickets.add(c.label() + " " + c.count().applyAsInt(scenario));
            }
            out.printf(TENANT_FORMAT, tenant.getKey(), mine.size(), sum(mine, 0), sum(mine, 1), sum(mine, 2),
                    sum(mine, 3), sum(mine, 4), sum(mine, 5), String.join(", ", tickets),
                    scenario.cmdbItems(tenant.getKey()));
        }
        out.flush();
    }

    private static long sum(List<SyncResult> results, int column) {
        return results.stream().mapToLong(r -> switch (column) {
            case 0 -> r.summary().read();
            case 1 -> r.summary().created();
            case 2 -> r.summary().updated();
            case 3 -> r.summary().unchanged();
            case 4 -> r.summary().skipped();
            default -> r.summary().failed();
        }).sum();
    }

    /** Whether every cycle ran to the end and no record failed. */
    static boolean clean(Collection<SyncResult> results) {
        return results.stream().allMatch(r -> r.completed() && r.summary().failed() == 0);
    }
}
