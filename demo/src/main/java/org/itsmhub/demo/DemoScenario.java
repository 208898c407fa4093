package org.itsmhub.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.sandbox.VendorSandboxProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The MSP the demo shows, on the vendor sandboxes: customer {@code contoso} on Freshdesk, Intune and
 * Veeam, customer {@code fabrikam} on Jira Service Management and Nessus, and the MSP's ServiceNow
 * (one sandbox per customer: the sandbox has no domain separation). Everything is generated here and
 * put in through the vendors' APIs and the sandboxes' control APIs, as the people and tools of a real
 * MSP would; only the Nessus scan is a seed file, written to the work folder.
 *
 * <p>{@link #nextChange()} then changes one thing per call, in turn, so the hub has something to react to.
 */
final class DemoScenario implements AutoCloseable {

    /** What the demo counts in one system for the summary. */
    record Counted(String label, ToIntFunction<DemoScenario> count) {
    }

    static final String CONTOSO = "contoso";
    static final String FABRIKAM = "fabrikam";

    private final List<VendorSandbox> started = new ArrayList<>();
    private final Path seedDir;
    private VendorSandbox freshdesk;
    private VendorSandbox intune;
    private VendorSandbox veeam;
    private VendorSandbox jira;
    private VendorSandbox nessus;
    private VendorSandbox contosoServiceNow;
    private VendorSandbox fabrikamServiceNow;
    private String firstFreshdeskTicket;
    private String firstJiraRequest;
    private String fileServerJob;
    private String laptopOutOfCompliance;
    private long latestScan;
    private int changes;

    private DemoScenario(Path seedDir) {
        this.seedDir = seedDir;
    }

    /** Starts every sandbox on a free loopback port and puts the scenario in. */
    static DemoScenario start(Path seedDir) {
        DemoScenario s = new DemoScenario(seedDir);
        try {
            s.startSandboxes();
            s.seedContoso();
            s.seedFabrikam();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void startSandboxes() {
        Map<String, VendorSandboxProvider> providers = SandboxCommand.providers();
        freshdesk = start(providers, "freshdesk", List.of());
        intune = start(providers, "intune", List.of());
        veeam = start(providers, "veeam", List.of());
        jira = start(providers, "jira", List.of());
        Path scan = NessusScanFile.write(seedDir.resolve("fabrikam-scan-1.nessus"), NessusScanFile.hosts(false),
                Instant.now().minus(Duration.ofHours(2)));
        nessus = start(providers, "nessus", List.of(new SandboxOptions.Seed(null, scan)));
        latestScan = 1;
        contosoServiceNow = start(providers, "servicenow", List.of());
        fabrikamServiceNow = start(providers, "servicenow", List.of());
    }

    private VendorSandbox start(Map<String, VendorSandboxProvider> providers, String vendor,
            List<SandboxOptions.Seed> seeds) {
        VendorSandboxProvider provider = providers.get(vendor);
        if (provider == null) {
            throw new IllegalStateException("the " + vendor + " sandbox is not on the class path (found: "
                    + providers.keySet() + ")");
        }
        VendorSandbox sandbox = provider.create(SandboxOptions.defaults().withSeeds(seeds)
                .withJournalLimit(SandboxOptions.LONG_RUNNING_JOURNAL_LIMIT));
        sandbox.start();
        started.add(sandbox);
        return sandbox;
    }

    // ------------------------------------------------------------------ contoso

    private void seedContoso() {
        VendorHttp fd = freshdeskApi();
        firstFreshdeskTicket = fd.post("/api/v2/tickets", ticket("Outlook keeps asking for my password",
                "Since this morning Outlook asks for my password every few minutes. Webmail works.",
                "anna.berg@contoso.example", 2)).get("id").asText();
        fd.post("/api/v2/tickets", ticket("New starter on Monday: laptop and accounts for J. Meyer",
                "Please prepare a laptop, a mailbox and access to the sales share for Julia Meyer.",
                "hr@contoso.example", 1));
        fd.post("/api/v2/tickets", ticket("Printer on the 2nd floor prints blank pages",
                "The HP printer next to the kitchen prints empty pages since yesterday.", "tom.ruiz@contoso.example", 2));

        VendorHttp devices = VendorHttp.control(intune.baseUrl());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        devices.post("/__sandbox/devices", device("3f1c2a10-7b4e-4c1a-9d2e-0a1b2c3d4e01", "contoso-lt-001",
                "anna.berg@contoso.example", "Anna Berg", "PF3ABC01", "3C-52-82-10-00-01", "compliant", now));
        laptopOutOfCompliance = "3f1c2a10-7b4e-4c1a-9d2e-0a1b2c3d4e02";
        devices.post("/__sandbox/devices", device(laptopOutOfCompliance, "contoso-lt-002",
                "tom.ruiz@contoso.example", "Tom Ruiz", "PF3ABC02", "3C-52-82-10-00-02", "noncompliant", now));
        devices.post("/__sandbox/devices", device("3f1c2a10-7b4e-4c1a-9d2e-0a1b2c3d4e03", "contoso-lt-003",
                "julia.meyer@contoso.example", "Julia Meyer", "PF3ABC03", "3C-52-82-10-00-03", "compliant", now));

        VendorHttp jobs = VendorHttp.control(veeam.baseUrl());
        fileServerJob = job(jobs, "1b7e0c44-5a0e-4f5e-9a61-3c0f00000001", "contoso-fs01 nightly", "Success",
                now.minus(Duration.ofHours(6)), "contoso-fs01", "vm-101");
        job(jobs, "1b7e0c44-5a0e-4f5e-9a61-3c0f00000002", "contoso-sql01 hourly", "Failed",
                now.minus(Duration.ofMinutes(40)), "contoso-sql01", "vm-102");
        job(jobs, "1b7e0c44-5a0e-4f5e-9a61-3c0f00000003", "contoso-dc01 daily", "Success",
                now.minus(Duration.ofHours(3)), "contoso-dc01", "vm-103");

        // the MSP plans work for the customer in its own desk; the customer sees it in Freshdesk
        serviceNowApi(contosoServiceNow).post("/api/now/table/incident", Map.of("short_description",
                "Planned: firewall firmware upgrade on Saturday 22:00", "description",
                "The MSP upgrades the firewall firmware; expect 15 minutes without internet.", "impact", "3",
                "urgency", "3"));
    }

    private static Map<String, Object> ticket(String subject, String description, String email, int priority) {
        return Map.of("subject", subject, "description", description, "email", email, "priority", priority,
                "status", 2);
    }

    private static ObjectNode device(String id, String name, String upn, String user, String serial, String mac,
            String compliance, Instant lastSync) {
        ObjectNode d = VendorHttp.JSON.createObjectNode();
        d.put("@odata.type", "#microsoft.graph.managedDevice").put("id", id).put("deviceName", name)
                .put("managedDeviceOwnerType", "company").put("enrolledDateTime", "2025-03-03T09:00:00Z")
                .put("lastSyncDateTime", lastSync.toString()).put("operatingSystem", "Windows")
                .put("osVersion", "10.0.22631.4460").put("complianceState", compliance).put("managementAgent", "mdm")
                .put("isEncrypted", true).put("userPrincipalName", upn).put("userDisplayName", user)
                .put("emailAddress", upn).put("model", "ThinkPad T14 Gen 4").put("manufacturer", "LENOVO")
                .put("serialNumber", serial).put("ethernetMacAddress", mac).put("wiFiMacAddress", "")
                .put("azureADDeviceId", id.replace("3f1c2a10", "aad0c2a1"));
        return d;
    }

    private static String job(VendorHttp jobs, String id, String name, String lastResult, Instant lastRun,
            String vm, String objectId) {
        ObjectNode j = VendorHttp.JSON.createObjectNode();
        j.put("type", "VSphereBackup").put("status", "Stopped").put("lastResult", lastResult).put("workload", "Vm")
                .put("id", id).put("name", name).put("description", "Created by CONTOSO\\veeamadmin.")
                .put("lastRun", lastRun.atOffset(ZoneOffset.UTC).toString())
                .put("nextRun", lastRun.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC).toString())
                .put("repositoryName", "Contoso backup repository").put("objectsCount", 0)
                .put("highPriority", false).put("progressPercent", 100).put("isStorageSnapshot", false);
        jobs.post("/__sandbox/jobs", j);
        jobs.post("/__sandbox/jobs/" + id + "/objects", Map.of("type", "VirtualMachine", "hostName",
                "vcenter.contoso.example", "name", vm, "objectId", objectId));
        return id;
    }

    // ------------------------------------------------------------------ fabrikam

    private void seedFabrikam() {
        VendorHttp desk = jiraApi();
        firstJiraRequest = desk.post("/rest/servicedeskapi/request", request("VPN drops every ten minutes",
                "Since Tuesday the VPN disconnects every ten minutes when working from home.")).get("issueKey").asText();
        desk.post("/rest/servicedeskapi/request", request("Access to the finance share for the new controller",
                "Please give Lena Vogt read/write access to \\\\fabrikam-fs\\finance."));
    }

    private static Map<String, Object> request(String summary, String description) {
        return Map.of("serviceDeskId", "1", "requestTypeId", "25", "requestFieldValues",
                Map.of("summary", summary, "description", description));
    }

    // ------------------------------------------------------------------ changes over time

    /** Makes the next change in turn through the vendors' APIs; returns what happened, for the user. */
    synchronized String nextChange() {
        int step = changes++;
        int round = step / 6 + 1;
        return switch (step % 6) {
            case 0 -> {
                freshdeskApi().post("/api/v2/tickets/" + firstFreshdeskTicket + "/reply", Map.of("body",
                        "Still happening after a restart (" + round + "). Can someone call me?"));
                yield "contoso: Anna replied on Freshdesk ticket " + firstFreshdeskTicket
                        + " -> the comment goes to ServiceNow";
            }
            case 1 -> {
                VendorHttp.control(veeam.baseUrl()).post("/__sandbox/jobs/" + fileServerJob + "/result",
                        Map.of("result", "Failed"));
                yield "contoso: Veeam job 'contoso-fs01 nightly' failed -> a backup-failure incident opens";
            }
            case 2 -> {
                latestScan = scan(true);
                yield "fabrikam: a new Nessus scan no longer finds the Apache vulnerability on fabrikam-web01"
                        + " (first clean scan)";
            }
            case 3 -> {
                VendorHttp.control(nessus.baseUrl()).post("/__sandbox/scans/" + latestScan + "/complete", Map.of());
                VendorHttp.control(intune.baseUrl()).post("/__sandbox/devices/" + laptopOutOfCompliance,
                        Map.of("complianceState", "compliant", "lastSyncDateTime", "now"));
                yield "fabrikam: the scan ran clean again -> the Apache incident resolves; "
                        + "contoso: contoso-lt-002 checked in compliant";
            }
            case 4 -> {
                jiraApi().post("/rest/servicedeskapi/request/" + firstJiraRequest + "/comment", Map.of("body",
                        "It dropped again at 10:40 (" + round + ").", "public", true));
                VendorHttp.control(veeam.baseUrl()).post("/__sandbox/jobs/" + fileServerJob + "/result",
                        Map.of("result", "Success"));
                VendorHttp.control(intune.baseUrl()).post("/__sandbox/devices/" + laptopOutOfCompliance,
                        Map.of("complianceState", "compliant", "lastSyncDateTime", "now"));
                yield "fabrikam: a comment on Jira request " + firstJiraRequest
                        + " -> ServiceNow; contoso: 'contoso-fs01 nightly' succeeded (one of two clean runs), "
                        + "contoso-lt-002 checked in compliant again -> its incident resolves";
            }
            default -> {
                VendorHttp.control(veeam.baseUrl()).post("/__sandbox/jobs/" + fileServerJob + "/result",
                        Map.of("result", "Success"));
                latestScan = scan(false);
                VendorHttp.control(intune.baseUrl()).post("/__sandbox/devices/" + laptopOutOfCompliance,
                        Map.of("complianceState", "noncompliant", "lastSyncDateTime", "now"));
                yield "contoso: 'contoso-fs01 nightly' succeeded again -> its incident resolves; contoso-lt-002 "
                        + "fell out of compliance again; fabrikam: Apache is back in the newest scan";
            }
        };
    }

    /** Completes a new scan on the Nessus sandbox; returns its id. */
    private long scan(boolean apachePatched) {
        Path file = NessusScanFile.write(seedDir.resolve("fabrikam-scan-" + (changes + 1) + ".nessus"),
                NessusScanFile.hosts(apachePatched), Instant.now());
        JsonNode answer = VendorHttp.control(nessus.baseUrl()).post("/__sandbox/scans",
                Map.of("file", file.toAbsolutePath().toString()));
        JsonNode id = answer.findValue("id");
        return id == null ? latestScan + 1 : id.asLong();
    }

    // ------------------------------------------------------------------ what the summary shows

    /** The {@code ${env:ITSMHUB_DEMO_...}} values of config/demo.yaml that depend on the sandboxes. */
    Map<String, String> configValues() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ITSMHUB_DEMO_FRESHDESK_URL", freshdesk.baseUrl());
        v.put("ITSMHUB_DEMO_INTUNE_URL", intune.baseUrl());
        v.put("ITSMHUB_DEMO_VEEAM_URL", veeam.baseUrl());
        v.put("ITSMHUB_DEMO_JIRA_URL", jira.baseUrl());
        v.put("ITSMHUB_DEMO_NESSUS_URL", nessus.baseUrl());
        v.put("ITSMHUB_DEMO_SERVICENOW_CONTOSO_URL", contosoServiceNow.baseUrl());
        v.put("ITSMHUB_DEMO_SERVICENOW_FABRIKAM_URL", fabrikamServiceNow.baseUrl());
        return v;
    }

    /** Where each sandbox listens, for the user. */
    Map<String, String> endpoints() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("contoso   Freshdesk", freshdesk.baseUrl() + "  (API key sandbox-api-key, password X)");
        e.put("contoso   Intune", intune.baseUrl() + "  (control API: /__sandbox/devices)");
        e.put("contoso   Veeam", veeam.baseUrl() + "  (control API: /__sandbox/jobs)");
        e.put("contoso   ServiceNow", contosoServiceNow.baseUrl() + "  (admin / sandbox-password)");
        e.put("fabrikam  Jira SM", jira.baseUrl() + "  (hub@sandbox.example / sandbox-api-token)");
        e.put("fabrikam  Nessus", nessus.baseUrl() + "  (control API: /__sandbox/scans)");
        e.put("fabrikam  ServiceNow", fabrikamServiceNow.baseUrl() + "  (admin / sandbox-password)");
        return e;
    }

    /** Tickets in each of a tenant's ticket systems, then CIs in its CMDB. */
    Map<String, List<Counted>> counted() {
        Map<String, List<Counted>> c = new LinkedHashMap<>();
        c.put(CONTOSO, List.of(new Counted("freshdesk", DemoScenario::freshdeskTickets),
                new Counted("servicenow", s -> s.incidents(s.contosoServiceNow))));
        c.put(FABRIKAM, List.of(new Counted("jira", DemoScenario::jiraRequests),
                new Counted("servicenow", s -> s.incidents(s.fabrikamServiceNow))));
        return c;
    }

    /** CIs in the tenant's CMDB ({@code cmdb_ci_computer} of its ServiceNow). */
    int cmdbItems(String tenant) {
        VendorSandbox snow = CONTOSO.equals(tenant) ? contosoServiceNow : fabrikamServiceNow;
        return serviceNowApi(snow).get("/api/now/table/cmdb_ci_computer?sysparm_limit=1000").path("result").size();
    }

    private int freshdeskTickets() {
        return freshdeskApi().get("/api/v2/tickets?per_page=100").size();
    }

    private int jiraRequests() {
        return jiraApi().get("/rest/api/3/search/jql?jql=project%20%3D%20SD&maxResults=100").path("issues").size();
    }

    private int incidents(VendorSandbox snow) {
        return serviceNowApi(snow).get("/api/now/table/incident?sysparm_limit=1000").path("result").size();
    }

    private VendorHttp freshdeskApi() {
        return VendorHttp.basic(freshdesk.baseUrl(), "sandbox-api-key", "X");
    }

    private VendorHttp jiraApi() {
        return VendorHttp.basic(jira.baseUrl(), "hub@sandbox.example", "sandbox-api-token");
    }

    private static VendorHttp serviceNowApi(VendorSandbox snow) {
        return VendorHttp.basic(snow.baseUrl(), "admin", "sandbox-password");
    }

    @Override
    public void close() {
        for (VendorSandbox s : started) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // stopping the others matters more than this one's error
            }
        }
        started.clear();
    }
}
