package org.itsmhub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The changes the running demo makes between cycles, each followed by one cycle of every sync on the
 * demo config: the hub reacts to each as the demo tells the user it will.
 */
class DemoChangesTest {

    private static final String RESOLVED_INCIDENT = "6";

    @TempDir
    Path work;

    @Test
    void eachChangeOfTheDemoIsPickedUpByTheNextCycleWithoutFailures() throws Exception {
        try (DemoScenario scenario = DemoScenario.start(work.resolve("seeds"))) {
            Map<String, String> values = new HashMap<>(scenario.configValues());
            values.put("ITSMHUB_DEMO_DATA", work.toString());
            values.put("ITSMHUB_DEMO_HTTP_PORT", "8080");
            values.put("ITSMHUB_DEMO_ADMIN_TOKEN", "");
            values.put("ITSMHUB_DEMO_PLUGINS_DIR", Path.of("target/plugins").toAbsolutePath().toString());
            values.put("ITSMHUB_DEMO_ROUTES_DIR", Path.of("../routes").toAbsolutePath().toString());
            Path config = Files.writeString(work.resolve("hub.yaml"), DemoCommand.fill(DemoCommand.template(), values));
            VendorHttp contosoDesk = VendorHttp.basic(values.get("ITSMHUB_DEMO_SERVICENOW_CONTOSO_URL"), "admin",
                    "sandbox-password");
            VendorHttp fabrikamDesk = VendorHttp.basic(values.get("ITSMHUB_DEMO_SERVICENOW_FABRIKAM_URL"), "admin",
                    "sandbox-password");

            try (HubBootstrap boot = HubBootstrap.load(config, name -> null);
                    HubStore store = HubStore.open(new StoreSettings("jdbc:h2:file:" + work + "/hub", "", ""));
                    HubRuntime hub = new HubRuntime(boot.result().orElseThrow(), boot.plugins(), store,
                            Clock.systemUTC(), HubRuntime.Mode.ON_DEMAND)) {
                hub.start();
                cycle(hub);
                JsonNode apache = incident(fabrikamDesk, "Apache 2.4.x < 2.4.60");

                assertThat(scenario.nextChange()).contains("Anna replied");
                Map<String, SyncResult> afterComment = cycle(hub);
                assertThat(afterComment.get("contoso-tickets").summary().updated()).isEqualTo(1);
                assertThat(contosoDesk.get("/api/now/table/sys_journal_field?sysparm_limit=100").path("result")
                        .findValuesAsText("value")).anyMatch(v -> v.contains("Still happening after a restart (1)"));

                assertThat(scenario.nextChange()).contains("failed");
                Map<String, SyncResult> afterFailure = cycle(hub);
                assertThat(afterFailure.get("contoso-signals").summary().created()).isEqualTo(1);
                JsonNode failedBackup = incident(contosoDesk, "contoso-fs01 nightly");

                scenario.nextChange(); // first clean scan: nothing resolves yet
                cycle(hub);
                assertThat(state(fabrikamDesk, apache)).isNotEqualTo(RESOLVED_INCIDENT);

                scenario.nextChange(); // second clean scan
                cycle(hub);
                assertThat(state(fabrikamDesk, apache)).isEqualTo(RESOLVED_INCIDENT);

                scenario.nextChange(); // one successful backup
                cycle(hub);
                assertThat(state(contosoDesk, failedBackup)).isNotEqualTo(RESOLVED_INCIDENT);

                scenario.nextChange(); // the second one; Apache is back
                cycle(hub);
                assertThat(state(contosoDesk, failedBackup)).isEqualTo(RESOLVED_INCIDENT);
                assertThat(state(fabrikamDesk, apache)).isNotEqualTo(RESOLVED_INCIDENT);
            }
        }
    }

    /** One cycle of every sync; every one completes without a failed record. */
    private static Map<String, SyncResult> cycle(HubRuntime hub) {
        List<SyncResult> results = hub.syncs().runAllOnce();
        assertThat(results).allSatisfy(r -> {
            assertThat(r.completed()).as(r.syncId() + ": " + r.message()).isTrue();
            assertThat(r.summary().failed()).as(r.syncId()).isZero();
        });
        Map<String, SyncResult> byId = new HashMap<>();
        results.forEach(r -> byId.put(r.syncId(), r));
        return byId;
    }

    private static JsonNode incident(VendorHttp desk, String titlePart) {
        JsonNode found = null;
        for (JsonNode i : desk.get("/api/now/table/incident?sysparm_limit=1000").path("result")) {
            if (i.path("short_description").asText().contains(titlePart)) {
                assertThat(found).as("one incident about " + titlePart).isNull();
                found = i;
            }
        }
        assertThat(found).as("an incident about " + titlePart).isNotNull();
        return found;
    }

    private static String state(VendorHttp desk, JsonNode incident) {
        return desk.get("/api/now/table/incident/" + incident.get("sys_id").asText()).path("result").path("state")
                .asText();
    }
}
