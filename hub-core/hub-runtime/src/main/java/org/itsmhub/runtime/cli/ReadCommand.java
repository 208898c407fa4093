package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code itsm-hub read}: reads through one connection's real connector and prints the canonical
 * records as JSON Lines, the admin's way to see what the hub sees before enabling a sync. It reads
 * only; no cursor is stored and nothing is written anywhere.
 */
@Command(name = "read", mixinStandardHelpOptions = true,
        description = {"Read through a connection's connector and print canonical records as JSON Lines.",
                "Tickets from a ticket source, else assets and findings. Nothing is stored or written.",
                "Exit 0 on success, 1 when the read failed, 2 on an invalid config or arguments."})
final class ReadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The hub's config file.")
    Path config;

    @Option(names = "--connection", required = true, paramLabel = "TENANT/CONNECTION",
            description = "The connection to read, e.g. acme/acme-freshdesk.")
    String connection;

    @Option(names = "--since", paramLabel = "ISO-8601",
            description = "Read what changed at or after this time (e.g. 2026-11-01T00:00:00Z) instead of the "
                    + "connector's default window.")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N records (default: read to the end).")
    Integer limit;

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String[] parts = connection.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            err.println("itsm-hub: --connection must be TENANT/CONNECTION, was '" + connection + "'");
            return ItsmHubCli.INVALID;
        }
        Instant start;
        try {
            start = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            err.println("itsm-hub: --since must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, was '" + since + "'");
            return ItsmHubCli.INVALID;
        }
        try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
            if (!boot.result().isValid()) {
                boot.result().issues().forEach(err::println);
                return ItsmHubCli.INVALID;
            }
            HubConfig hubConfig = boot.result().config();
            Clock clock = Clock.systemUTC();
            try (ConnectionRegistry registry = new ConnectionRegistry(hubConfig, boot.plugins()::factory,
                    clock, ConnectionRegistry.HostServices.none())) {
                if (registry.find(parts[0], parts[1]).isEmpty()) {
                    err.printf("itsm-hub: tenant '%s' has no connection '%s'%n", parts[0], parts[1]);
                    return ItsmHubCli.INVALID;
                }
                Connector connector = registry.connector(parts[0], parts[1]);
                Instant readAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                long printed;
                if (connector.capability(TicketSource.class).isPresent()) {
                    printed = drain(connector.capability(TicketSource.class).get()::readChanges, start, out, err);
                } else if (connector.capability(AssetSource.class).isPresent()
                        || connector.capability(FindingSource.class).isPresent()) {
                    printed = 0;
                    if (connector.capability(AssetSource.class).isPresent()) {
                        printed += drain(connector.capability(AssetSource.class).get()::readAssets, start, out, err);
                    }
                    if (connector.capability(FindingSource.class).isPresent()) {
                        printed += drain(connector.capability(FindingSource.class).get()::readFindings, start, out, err);
                    }
                } else {
                    err.printf("itsm-hub: connection %s reads nothing (it is write-only)%n", connection);
                    return ItsmHubCli.INVALID;
                }
                out.flush();
                err.printf("itsm-hub: read %d record(s) from %s%s%n", printed, connection,
                        printed == 0 ? window(connector, start, readAt) : "");
                return ItsmHubCli.OK;
            } catch (RuntimeException e) {
                out.flush();
                err.println("itsm-hub: reading " + connection + " failed: " + e.getClass().getSimpleName() + ": "
                        + org.itsmhub.runtime.logging.LogRedaction.redact(String.valueOf(e.getMessage())));
                return ItsmHubCli.FAILED;
            }
        }
    }

    /** Prints the records read; a record the connector could not read is one line on {@code err}. */
    private <T> long drain(Function<ReadRequest, Page<T>> read, Instant start, PrintWriter out, PrintWriter err) {
        long count = 0;
        Cursor cursor = null;
        while (true) {
            Page<T> page = read.apply(new ReadRequest(cursor, Map.of(), 100, start));
            for (RejectedRecord r : page.rejected()) {
                err.println("itsm-hub: could not read record " + (r.vendorId() == null ? "without an id" : r.vendorId())
                        + ": " + org.itsmhub.runtime.logging.LogRedaction.redact(r.reason()) + " (raw record "
                        + r.rawSize() + " bytes)");
            }
            for (T item : page.items()) {
                if (limit != null && count >= limit) {
                    return count;
                }
                out.println(json(item));
                count++;
            }
            if (!page.hasMore() || (limit != null && count >= limit)) {
                return count;
            }
            cursor = page.next();
        }
    }

    /** An empty read says what it covered, so nobody takes a narrow default window for an empty system. */
    private static String window(Connector connector, Instant since, Instant readAt) {
        return connector.firstReadStart(since, readAt)
                .map(from -> " changed between " + from + " and " + readAt
                        + (since == null ? " (the connector's default start; --since reads further back)" : ""))
                .orElse(" (not a time window: the connector reads the vendor's whole current state"
                        + (since == null ? ")" : ", --since does not apply)"));
    }

    private static String json(Object record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write record as JSON: " + e.getOriginalMessage(), e);
        }
    }

}
