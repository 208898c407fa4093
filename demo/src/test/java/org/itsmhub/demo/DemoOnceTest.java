package org.itsmhub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.runtime.cli.ItsmHubCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code itsm-hub demo --once} through the CLI, in-process, with the real plugin zips and route
 * templates: every flow of both tenants runs one cycle against the sandboxes and creates what it should.
 */
class DemoOnceTest {

    private static final Pattern SYNC_ROW = Pattern.compile(
            "(?m)^\\s+(\\S+)\\s+(contoso|fabrikam)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)"
                    + "\\s+(\\d+)$");
    private static final Pattern TENANT_ROW = Pattern.compile(
            "(?m)^\\s+(contoso|fabrikam)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.+?)"
                    + "\\s+(\\d+)$");

    @TempDir
    Path work;

    record Row(String tenant, String flow, String outcome, long read, long created, long updated, long unchanged,
            long skipped, long failed) {
    }

    @Test
    void oneCycleCreatesTicketsThroughEveryFlowAndCisInBothCmdbsWithoutFailures() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        Path configOut = work.resolve("copy/hub.yaml");

        int code = cli.execute("demo", "--once", "--work-dir", work.resolve("demo").toString(), "--config-out",
                configOut.toString(), "--plugins-dir", Path.of("target/plugins").toAbsolutePath().toString(),
                "--routes-dir", Path.of("../routes").toAbsolutePath().toString());

        String printed = out + "\n" + err;
        assertThat(code).as(printed).isZero();
        Map<String, Row> syncs = new HashMap<>();
        Matcher m = SYNC_ROW.matcher(out.toString());
        while (m.find()) {
            syncs.put(m.group(1), new Row(m.group(2), m.group(3), m.group(4), Long.parseLong(m.group(5)),
                    Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                    Long.parseLong(m.group(9)), Long.parseLong(m.group(10))));
        }
        assertThat(syncs).as(printed).containsOnlyKeys("contoso-signals", "contoso-assets", "contoso-tickets",
                "fabrikam-vulns", "fabrikam-assets", "fabrikam-tickets");
        assertThat(syncs.values()).as(printed).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo("SUCCEEDED");
            assertThat(r.failed()).isZero();
            assertThat(r.created()).as("every flow creates something in the first cycle").isPositive();
            assertThat(r.read()).as("read = created + updated + unchanged + skipped + failed")
                    .isEqualTo(r.created() + r.updated() + r.unchanged() + r.skipped() + r.failed());
        });
        String guide = Files.readString(Path.of("../docs/getting-started.md"));
        assertThat(out.toString().lines().filter(l -> SYNC_ROW.matcher(l).matches() || TENANT_ROW.matcher(l).matches()))
                .as("docs/getting-started.md shows the summary the demo prints")
                .allSatisfy(row -> assertThat(guide).contains(row));
        assertThat(syncs.get("contoso-signals").created()).as("a non-compliant laptop, a failed SQL backup")
                .isGreaterThanOrEqualTo(2);
        assertThat(syncs.get("fabrikam-vulns").created()).as("four medium-or-worse vulnerabilities").isEqualTo(4);
        assertThat(syncs.get("fabrikam-assets").created()).as("three scanned hosts").isEqualTo(3);
        assertThat(syncs.get("contoso-assets").created()).as("three laptops, three protected VMs").isEqualTo(6);

        Matcher t = TENANT_ROW.matcher(out.toString());
        Map<String, String> tickets = new HashMap<>();
        Map<String, Integer> cis = new HashMap<>();
        while (t.find()) {
            assertThat(t.group(8)).as("failed, " + t.group(1)).isEqualTo("0");
            tickets.put(t.group(1), t.group(9));
            cis.put(t.group(1), Integer.parseInt(t.group(10)));
        }
        assertThat(cis).as(printed).containsEntry("contoso", 6).containsEntry("fabrikam", 3);
        assertThat(tickets.get("contoso")).as("the customer's 3 tickets plus the MSP's planned work and the signal "
                + "incidents, on both sides").matches("freshdesk (\\d+), servicenow (\\d+)");
        assertThat(tickets.get("fabrikam")).matches("jira (\\d+), servicenow (\\d+)");
        assertThat(out.toString()).contains("Demo cycle completed: nothing failed.");
        assertThat(Files.readString(configOut)).as("the written config has every sandbox URL filled in")
                .doesNotContainPattern("\\$\\{env:ITSMHUB_DEMO_[A-Z_]+}").contains("instance.url: \"http://127.0.0.1:");
    }
}
