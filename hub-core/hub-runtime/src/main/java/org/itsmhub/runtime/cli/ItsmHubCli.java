package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.util.List;

import org.itsmhub.runtime.logging.LogRedaction;
import org.itsmhub.runtime.logging.RedactingWriter;
import org.itsmhub.runtime.store.CorruptStoreException;
import org.itsmhub.runtime.store.StoreException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code itsm-hub}: the hub's command line. Exit codes are documented in {@code docs/cli.md}:
 * 0 success, 1 failure or internal error, 2 invalid input (config, arguments, a corrupt store file).
 */
@Command(name = "itsm-hub", mixinStandardHelpOptions = true, versionProvider = CliVersionProvider.class,
        description = "Integration hub for managed service providers: ticket sync, signals to tickets, asset register.",
        subcommands = {RunCommand.class, ValidateCommand.class, ReadCommand.class, ImportCommand.class, DlqCommand.class,
                AssetsCommand.class, PluginsCommand.class, StoreCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class ItsmHubCli implements Runnable {

    /** Exit code: the command did what it was asked. */
    public static final int OK = 0;
    /** Exit code: a sync or check failed, or the hub hit an internal error. */
    public static final int FAILED = 1;
    /** Exit code: the input (config file, arguments, the store file) is invalid. */
    public static final int INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new ItsmHubCli());
        for (CliExtension extension : java.util.ServiceLoader.load(CliExtension.class)) {
            cli.addSubcommand(extension.command());
        }
        // after the extensions: picocli gives a converter only to the subcommands present now
        cli.registerConverter(java.nio.file.Path.class, ItsmHubCli::callerPath);
        cli.setExecutionStrategy(ItsmHubCli::executeRedacted);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof CorruptStoreException) {
                // not a passing condition: the same file fails the same way until an admin restores it
                err.println("itsm-hub: " + oneLine(e.getMessage()));
                org.slf4j.LoggerFactory.getLogger(ItsmHubCli.class).debug("Corrupt store", e);
                return INVALID;
            }
            if (e instanceof StoreException || e instanceof org.itsmhub.runtime.HubStartException) {
                // an expected condition (store locked, unreachable, unreadable; no plugins folder): the
                // message says what to do
                err.println("itsm-hub: " + org.itsmhub.runtime.logging.LogRedaction.redact(oneLine(e.getMessage())));
                org.slf4j.LoggerFactory.getLogger(ItsmHubCli.class).debug("Expected failure", e);
                return FAILED;
            }
            err.println("itsm-hub: internal error: " + org.itsmhub.runtime.logging.LogRedaction.redact(String.valueOf(e)));
            org.slf4j.LoggerFactory.getLogger(ItsmHubCli.class).error("Internal error", e);
            return FAILED;
        });
        cli.setExitCodeExceptionMapper(e -> INVALID);
        return cli;
    }

    /**
     * A path the user typed, taken from the directory they ran the command in: the launcher runs the
     * JVM in the distribution folder and passes the caller's directory as {@code itsmhub.cwd}.
     */
    public static java.nio.file.Path callerPath(String text) {
        java.nio.file.Path path = java.nio.file.Path.of(text);
        String callerDir = System.getProperty("itsmhub.cwd");
        return path.isAbsolute() || callerDir == null ? path : java.nio.file.Path.of(callerDir).resolve(path).normalize();
    }

    /**
     * Runs the command with its output masked line by line: a live check, a replay or a run can print
     * a vendor's error that quotes the credentials the hub sent. Standard output (data: JSON Lines,
     * tables) loses only known secret values; standard error also credential-shaped text.
     */
    private static int executeRedacted(CommandLine.ParseResult parseResult) {
        List<CommandLine> commands = parseResult.asCommandLineList();
        for (CommandLine c : commands) {
            c.setOut(RedactingWriter.wrap(c.getOut(), LogRedaction::redactValues));
            c.setErr(RedactingWriter.wrap(c.getErr(), LogRedaction::redact));
        }
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } finally {
            for (CommandLine c : commands) {
                c.getOut().flush();
                c.getErr().flush();
            }
        }
    }

    private static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
