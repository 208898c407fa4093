package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.flow.DeadLetterReplay;
import org.itsmhub.runtime.logging.LogRedaction;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code itsm-hub dlq}: inspect and replay dead letters. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Inspect and replay dead letters: records a sync could not write and webhook bodies "
                + "that could not be parsed.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the config's store (and, for replays, the runtime) for a subcommand. */
    abstract static class StoreCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The hub's config file.")
        Path config;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
                if (!boot.result().isValid()) {
                    boot.result().issues().forEach(err::println);
                    return ItsmHubCli.INVALID;
                }
                HubConfig hubConfig = boot.result().config();
                try (HubStore store = boot.openStore()) {
                    return run(boot, hubConfig, store, spec.commandLine().getOut(), err);
                }
            }
        }

        abstract int run(HubBootstrap boot, HubConfig config, HubStore store, PrintWriter out, PrintWriter err)
                throws Exception;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters (open ones by default).")
    static final class ListLetters extends StoreCommand {
        @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's letters.")
        String tenant;

        @Option(names = "--all", description = "Also replayed and discarded letters.")
        boolean all;

        @Override
        int run(HubBootstrap boot, HubConfig config, HubStore store, PrintWriter out, PrintWriter err) {
            List<DeadLetter> letters = store.deadLetters().list(tenant, all ? null : DeadLetterStatus.OPEN, 1000);
            String format = "%-6s %-9s %-12s %-20s %-18s %-22s %8s  %-20s %s%n";
            out.printf(format, "ID", "STATUS", "TENANT", "SYNC", "CONNECTION", "RECORD", "ATTEMPTS", "LAST FAILURE",
                    "ERROR");
            for (DeadLetter d : letters) {
                out.printf(format, d.id(), d.status().name().toLowerCase(), d.tenantId(), d.syncId(), d.connectionId(),
                        abbreviate(d.recordRef(), 22), d.attempts(), d.lastFailureAt().toString().substring(0, 19),
                        abbreviate(LogRedaction.redact(d.errorMessage()), 80));
            }
            out.printf("%d dead letter(s)%n", letters.size());
            return ItsmHubCli.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one dead letter with its payload.")
    static final class Show extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        int run(HubBootstrap boot, HubConfig config, HubStore store, PrintWriter out, PrintWriter err) {
            var letter = store.deadLetters().get(id);
            if (letter.isEmpty()) {
                err.printf("itsm-hub: no dead letter %d%n", id);
                return ItsmHubCli.INVALID;
            }
            DeadLetter d = letter.get();
            out.printf("id:            %d%nstatus:        %s%ntenant:        %s%nsync:          %s%n"
                    + "connection:    %s%nrecord:        %s%nerror type:    %s%nerror:         %s%n"
                    + "attempts:      %d%nfirst failure: %s%nlast failure:  %s%npayload:%n%s%n",
                    d.id(), d.status().name().toLowerCase(), d.tenantId(), d.syncId(), d.connectionId(), d.recordRef(),
                    LogRedaction.redact(d.errorType()), LogRedaction.redact(d.errorMessage()), d.attempts(), d.firstFailureAt(),
                    d.lastFailureAt(), LogRedaction.redactValues(d.payload()));
            return ItsmHubCli.OK;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Replay a dead letter (or all open ones) after its cause is fixed.",
                    "Exit 0 when every replay succeeded, 1 when some failed again (they stay open)."})
    static final class Replay extends StoreCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The letter to replay.")
        Long id;

        @Option(names = "--all", description = "Replay every open letter.")
        boolean all;

        @Option(names = "--tenant", paramLabel = "T", description = "With --all: only this tenant's letters.")
        String tenant;

        @Override
        int run(HubBootstrap boot, HubConfig config, HubStore store, PrintWriter out, PrintWriter err)
                throws Exception {
            if ((id == null) == !all) {
                err.println("itsm-hub: give either a dead letter ID or --all");
                return ItsmHubCli.INVALID;
            }
            try (HubRuntime runtime = new HubRuntime(config, boot.plugins(), store, Clock.systemUTC(),
                    HubRuntime.Mode.ON_DEMAND)) {
                runtime.start();
                DeadLetterReplay replay = new DeadLetterReplay(store, runtime.syncs(), runtime.connections());
                List<DeadLetterReplay.Outcome> outcomes = all ? replay.replayAll(tenant) : List.of(replay.replay(id));
                for (DeadLetterReplay.Outcome o : outcomes) {
                    out.printf("%d: %s (%s)%n", o.letterId(), o.replayed() ? "replayed" : "still failing",
                            LogRedaction.redact(o.message()));
                }
                long failed = outcomes.stream().filter(o -> !o.replayed()).count();
                out.printf("%d replayed, %d still failing%n", outcomes.size() - failed, failed);
                return failed == 0 ? ItsmHubCli.OK : ItsmHubCli.FAILED;
            }
        }
    }

    private static String abbreviate(String s, int max) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
