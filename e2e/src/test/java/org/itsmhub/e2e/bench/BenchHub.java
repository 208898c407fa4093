package org.itsmhub.e2e.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import org.itsmhub.runtime.cli.ItsmHubCli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A hub home for the ticket benchmarks: a temp folder with the plugin zips the e2e build copied to
 * {@code e2e/target/plugins}, the repository's route templates and an H2 store. Benchmarks run
 * from the repository root.
 */
final class BenchHub {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    private final Path plugins;

    BenchHub() throws IOException {
        home = Files.createTempDirectory("itsmhub-bench-");
        plugins = Files.createDirectories(home.resolve("plugins"));
        try (Stream<Path> zips = Files.list(Path.of("e2e/target/plugins"))) {
            for (Path z : zips.toList()) {
                Files.copy(z, plugins.resolve(z.getFileName()));
            }
        }
    }

    /** Writes {@code hub.yaml} with the given tenants section; port 0 keeps the default HTTP port. */
    Path config(String tenantsYaml, int httpPort) throws IOException {
        return Files.writeString(home.resolve("hub.yaml"), """
                hub:
                  store: { url: "jdbc:h2:file:%s/data/hub" }
                  plugins-dir: %s
                  routes-dir: %s
                """.formatted(home, plugins, Path.of("routes").toAbsolutePath())
                + (httpPort == 0 ? "" : "  http: { bind: 127.0.0.1, port: " + httpPort + " }\n") + tenantsYaml);
    }

    /** {@code itsm-hub run --config CONFIG --once} in-process; returns what it printed. */
    static String runOnce(Path config) {
        StringWriter out = new StringWriter();
        var cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("run", "--config", config.toString(), "--once");
        return "exit " + code + "\n" + out;
    }

    /** Writes N generated Freshdesk tickets without comments (a ticket list array) and returns the file. */
    Path freshdeskSeed(int n) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 1; i <= n; i++) {
            ObjectNode t = array.addObject();
            t.put("id", i);
            t.put("subject", "Benchmark ticket " + i);
            t.put("description", "Generated ticket number " + i + " for the sync benchmark.");
            t.put("description_text", "Generated ticket number " + i + " for the sync benchmark.");
            t.put("status", 2 + (i % 3));
            t.put("priority", 1 + (i % 4));
            t.put("requester_id", 5000 + i);
            t.put("created_at", base.plusSeconds(i).toString());
            t.put("updated_at", base.plusSeconds(i).toString());
            t.putArray("tags");
        }
        return Files.writeString(home.resolve("freshdesk-tickets.json"), array.toString());
    }
}
