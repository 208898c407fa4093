package org.itsmhub.runtime.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.FindingFileImporter;
import org.itsmhub.api.connector.FindingFileImporter.ImportSummary;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.Severity;
import org.itsmhub.runtime.plugin.PluginHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code itsm-hub import FORMAT FILE}: reads a vendor's export file (e.g. a {@code .nessus} scan)
 * through the plugin whose {@link ConnectorFactory#fileImporter()} handles {@code FORMAT}, and writes
 * the canonical findings as JSON Lines. Nothing is stored. With {@code --out}, the lines go to a
 * temporary file next to it that replaces it only when the whole input was read, so a broken input
 * never leaves a partial result that looks complete.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read a vendor export file (e.g. nessus FILE.nessus) and print its findings as JSON Lines.",
                "A summary (hosts, findings by severity) goes to stderr. Nothing is stored.",
                "Exit 0 on success, 1 on an unexpected failure, 2 on an unreadable or invalid file or arguments."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FORMAT", description = "The file format, e.g. nessus.")
    String format;

    @Parameters(index = "1", paramLabel = "FILE", description = "The export file.")
    Path file;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "The tenant the findings belong to (part of their keys).")
    String tenant;

    @Option(names = "--min-severity", paramLabel = "SEVERITY", defaultValue = "info",
            description = "Write only findings at or above: info, low, medium, high or critical (default: ${DEFAULT-VALUE}).")
    String minSeverity;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON Lines here instead of to stdout.")
    Path out;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Plugin folder (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:itsmhub.home:-.}/plugins")
    Path pluginsDir;

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Severity threshold;
        try {
            threshold = Severity.valueOf(minSeverity.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("itsm-hub: --min-severity must be info, low, medium, high or critical, was '" + minSeverity + "'");
            return ItsmHubCli.INVALID;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            err.println("itsm-hub: " + file + ": " + (Files.exists(file) ? "cannot be read" : "no such file"));
            return ItsmHubCli.INVALID;
        }
        PluginHost host;
        try {
            host = PluginHost.load(pluginsDir);
        } catch (IllegalArgumentException e) {
            err.println("itsm-hub: " + e.getMessage());
            return ItsmHubCli.INVALID;
        }
        try (host) {
            List<String> formats = new ArrayList<>();
            Optional<FindingFileImporter> importer = Optional.empty();
            for (ConnectorFactory factory : host.factories()) {
                Optional<FindingFileImporter> candidate = factory.fileImporter();
                if (candidate.isPresent()) {
                    formats.add(candidate.get().format());
                    if (importer.isEmpty() && candidate.get().format().equalsIgnoreCase(format)) {
                        importer = candidate;
                    }
                }
            }
            if (importer.isEmpty()) {
                err.printf("itsm-hub: no plugin in %s imports '%s' files; formats available: %s%n", host.pluginsDir(),
                        format, formats.isEmpty() ? "none" : String.join(", ", formats.stream().sorted().toList()));
                return ItsmHubCli.INVALID;
            }
            return out == null ? toStdout(importer.get(), threshold, err) : toFile(importer.get(), threshold, err);
        }
    }

    private int toStdout(FindingFileImporter importer, Severity threshold, PrintWriter err) {
        PrintWriter stdout = spec.commandLine().getOut();
        long[] written = {0};
        try {
            ImportSummary summary = importer.importFile(file, tenant, threshold, asset -> { }, finding -> {
                stdout.println(json(finding));
                written[0]++;
            });
            stdout.flush();
            printSummary(summary, threshold, "stdout", err);
            return ItsmHubCli.OK;
        } catch (RuntimeException e) {
            stdout.flush();
            return failed(e, written[0] == 0 ? "" : "; the " + written[0]
                    + " finding(s) already written to stdout are an incomplete import: discard them", err);
        }
    }

    private int toFile(FindingFileImporter importer, Severity threshold, PrintWriter err) {
        Path target = out.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (Writer writer = new BufferedWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8), 1 << 16)) {
            ImportSummary summary = importer.importFile(file, tenant, threshold, asset -> { }, finding -> {
                try {
                    writer.write(json(finding));
                    writer.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.close();
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            printSummary(summary, threshold, target.toString(), err);
            return ItsmHubCli.OK;
        } catch (IOException e) {
            deleteQuietly(partial);
            err.println("itsm-hub: cannot write " + target + ": " + e.getMessage());
            return ItsmHubCli.INVALID;
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            return failed(e, "; " + target + " was not written", err);
        }
    }

    private int failed(RuntimeException e, String consequence, PrintWriter err) {
        if (e instanceof DataMappingException) {
            err.println("itsm-hub: " + e.getMessage() + consequence); // FILE:LINE:COLUMN: reason
            return ItsmHubCli.INVALID;
        }
        if (e instanceof UncheckedIOException io) {
            err.println("itsm-hub: cannot write the findings: " + io.getCause().getMessage() + consequence);
            return ItsmHubCli.FAILED;
        }
        err.println("itsm-hub: importing " + file + " failed: " + e.getClass().getSimpleName() + ": "
                + (e instanceof ConnectorException ? e.getMessage() : String.valueOf(e.getMessage())) + consequence);
        return ItsmHubCli.FAILED;
    }

    private void printSummary(ImportSummary summary, Severity threshold, String where, PrintWriter err) {
        long total = summary.findingsBySeverity().values().stream().mapToLong(Long::longValue).sum();
        StringBuilder bySeverity = new StringBuilder();
        for (int i = Severity.values().length - 1; i >= 0; i--) {
            Severity s = Severity.values()[i];
            bySeverity.append(bySeverity.isEmpty() ? "" : ", ").append(s.name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(summary.findingsBySeverity().getOrDefault(s, 0L));
        }
        err.printf("itsm-hub: %s: %d host(s), %d finding(s) (%s); %d at or above %s written to %s%n", file,
                summary.hosts(), total, bySeverity, summary.handedOn(), threshold.name().toLowerCase(Locale.ROOT), where);
        err.flush();
    }

    private static String json(Finding finding) {
        try {
            return JSON.writeValueAsString(finding);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a finding as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover .partial file says itself that it is incomplete
        }
    }
}
