package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreIntegrity;
import org.itsmhub.runtime.store.StoreSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code itsm-hub store}: the state store itself. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Look after the hub's state store.",
        subcommands = StoreCommand.Check.class)
final class StoreCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Read the whole H2 store file (every row and index), as the hub does on start, without "
                    + "starting anything; works beside a running hub.",
                    "Exit 0 healthy, 2 corrupt (the file is named), 1 when the store cannot be opened."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The hub's config file.")
        Path config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
                if (!boot.result().isValid()) {
                    boot.result().issues().forEach(err::println);
                    return ItsmHubCli.INVALID;
                }
                HubSettings.Store s = boot.result().config().hub().store();
                StoreIntegrity.Report report = HubStore.check(new StoreSettings(s.url(), s.user(), s.password().reveal()));
                out.printf("the store %s is healthy: %d tables, %d indexes, %d rows read in %d ms%n",
                        report.file(), report.tables(), report.indexes(), report.rows(), report.millis());
                return ItsmHubCli.OK;
            }
        }
    }
}
