package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.assets.AssetRegisterRepository;
import org.itsmhub.runtime.assets.CmdbPush;
import org.itsmhub.runtime.assets.Evidence;
import org.itsmhub.runtime.assets.ListedAsset;
import org.itsmhub.runtime.assets.SourceRecord;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.logging.LogRedaction;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code itsm-hub assets}: lists a tenant's asset register with each asset's source records, the
 * evidence of every match and its CMDB items. Reads the store only.
 */
@Command(name = "assets", mixinStandardHelpOptions = true,
        description = {"List a tenant's asset register: each asset with its sources, match evidence and CMDB items.",
                "Exit 0 on success, 1 when the store cannot be read, 2 on an invalid config, an unknown tenant "
                        + "or bad arguments."})
final class AssetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The hub's config file.")
    Path config;

    @Option(names = "--tenant", required = true, paramLabel = "T", description = "The tenant whose register to list.")
    String tenant;

    @Option(names = "--format", paramLabel = "table|jsonl", defaultValue = "table",
            description = "table (default, for people) or jsonl (one JSON object per asset).")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("jsonl")) {
            err.println("itsm-hub: --format must be table or jsonl, was '" + format + "'");
            return ItsmHubCli.INVALID;
        }
        try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
            if (!boot.result().isValid()) {
                boot.result().issues().forEach(err::println);
                return ItsmHubCli.INVALID;
            }
            HubConfig hubConfig = boot.result().config();
            if (hubConfig.tenant(tenant).isEmpty()) {
                err.printf("itsm-hub: unknown tenant '%s'; tenants in %s: %s%n", tenant, config,
                        hubConfig.tenants().isEmpty() ? "none" : String.join(", ", hubConfig.tenants().keySet()));
                return ItsmHubCli.INVALID;
            }
            List<ListedAsset> assets;
            try (HubStore store = boot.openStore()) {
                assets = ListedAsset.list(new AssetRegisterRepository(store.dataSource(), Clock.systemUTC()), tenant);
            } catch (StoreException e) {
                throw e; // one line, printed by ItsmHubCli
            } catch (RuntimeException e) {
                err.println("itsm-hub: reading the asset register failed: " + e.getClass().getSimpleName() + ": "
                        + LogRedaction.redact(String.valueOf(e.getMessage())));
                return ItsmHubCli.FAILED;
            }
            if (format.equals("jsonl")) {
                assets.forEach(a -> out.println(a.toJsonLine()));
            } else {
                assets.forEach(a -> table(a, out));
            }
            long records = assets.stream().mapToLong(a -> a.sources().size()).sum();
            (format.equals("jsonl") ? err : out).printf("%d asset(s) from %d source record(s) in tenant %s%n",
                    assets.size(), records, tenant);
            out.flush();
            return ItsmHubCli.OK;
        }
    }

    private static void table(ListedAsset a, PrintWriter out) {
        AssetIdentity id = a.merged().asset().identity();
        out.printf("ASSET %d  %s%n", a.asset().id(), text(a.merged().asset().name()));
        out.printf("  identity  serial %s  host %s  fqdn %s  mac %s  ip %s%n", text(id.serial()), text(id.hostname()),
                text(id.fqdn()), id.macs().isEmpty() ? "-" : String.join(",", id.macs()),
                id.ips().isEmpty() ? "-" : String.join(",", id.ips()));
        out.printf("  seen      %s%n", time(a.asset().seenAt()));
        for (SourceRecord r : a.sources()) {
            out.printf("  source    %s  %s  seen %s%n", r.label(), text(r.asset().name()), time(r.seenAt()));
        }
        for (CmdbPush p : a.cmdb()) {
            out.printf("  cmdb      %s %s (correlation id %s) pushed %s%s%n", p.sinkConnection(), p.ci().id(),
                    p.correlationId(), time(p.pushedAt()),
                    p.staleMarkedAt() == null ? "" : ", marked stale " + time(p.staleMarkedAt()));
        }
        for (Evidence e : a.evidence()) {
            out.printf("  evidence  %s %-8s %s%s%n", time(e.at()), e.action(), e.recordRef(),
                    e.detail() == null ? "" : ": " + e.detail());
        }
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.toString();
    }
}
