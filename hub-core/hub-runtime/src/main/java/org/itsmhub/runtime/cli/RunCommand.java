package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.HubStartException;
import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.store.HubStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code itsm-hub run}: start the hub, or with {@code --once} run every sync one cycle and exit. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the hub: schedule every sync and serve /health, /metrics, /webhooks and /api.",
                "With --once: run every configured sync one cycle, print a summary per sync and exit "
                        + "(0 if every cycle completed, 1 otherwise, 2 if the config is invalid)."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The hub's config file.")
    Path config;

    @Option(names = "--once", description = "Run every sync one cycle, print the summary and exit.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
            if (!boot.result().isValid()) {
                boot.result().issues().forEach(err::println);
                err.printf("itsm-hub: %s has %d problem(s); nothing was started%n", config,
                        boot.result().issues().size());
                return ItsmHubCli.INVALID;
            }
            HubConfig hubConfig = boot.result().config();
            try (HubStore store = boot.openStore();
                    HubRuntime runtime = new HubRuntime(hubConfig, boot.plugins(), store, Clock.systemUTC(),
                            once ? HubRuntime.Mode.ON_DEMAND : HubRuntime.Mode.SERVE)) {
                try {
                    runtime.start();
                } catch (HubStartException e) {
                    err.println("itsm-hub: " + e.getMessage());
                    return ItsmHubCli.FAILED;
                }
                if (once) {
                    List<SyncResult> results = runtime.syncs().runAllOnce();
                    SummaryTable.print(out, results);
                    out.flush();
                    return results.stream().allMatch(r -> r.completed()) ? ItsmHubCli.OK : ItsmHubCli.FAILED;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "itsm-hub-shutdown"));
                runtime.awaitStop();
                return ItsmHubCli.OK;
            }
        }
    }
}
