package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.ticketSync;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.Link;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants on one hub, each with its own ServiceNow and Freshdesk: each sync reads and writes
 * only its own tenant's systems, even when both Freshdesk accounts use the same ticket ids, and
 * neither a config nor a webhook can reach the other tenant's connections.
 */
class TicketSyncTenantIsolationTest {

    @TempDir
    Path home;

    private final TicketDesk acmeDesk = TicketDesk.servicenow();
    private final TicketDesk acmeCustomer = TicketDesk.freshdesk();
    private final TicketDesk globexDesk = TicketDesk.servicenow();
    private final TicketDesk globexCustomer = TicketDesk.freshdesk();

    @AfterEach
    void stop() {
        List.of(acmeDesk, acmeCustomer, globexDesk, globexCustomer).forEach(TicketDesk::close);
    }

    @Test
    void eachTenantsSyncReachesOnlyItsOwnTicketsAndConnections() throws Exception {
        E2eHub hub = new E2eHub(home);
        int port = E2eHub.freePort();
        Path config = hub.config(tenants("globex-fd"), port);
        String acmeTicket = acmeCustomer.raise("acme: payroll export fails", "Since the upgrade");
        String globexTicket = globexCustomer.raise("globex: warehouse scanner broken", "Dock 3");
        assertThat(acmeTicket).as("both accounts number their tickets alike").isEqualTo(globexTicket);

        E2eHub.Run run = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("acme-tickets\\s+acme\\s+ticket-sync\\s+SUCCEEDED")
                .containsPattern("globex-tickets\\s+globex\\s+ticket-sync\\s+SUCCEEDED");
        assertThat(acmeDesk.idsWithTitle("acme: payroll export fails")).hasSize(1);
        assertThat(globexDesk.idsWithTitle("globex: warehouse scanner broken")).hasSize(1);
        assertThat(acmeDesk.idsWithTitle("globex: warehouse scanner broken")).isEmpty();
        assertThat(globexDesk.idsWithTitle("acme: payroll export fails")).isEmpty();
        assertThat(acmeCustomer.idsWithTitle("globex: warehouse scanner broken")).isEmpty();
        assertThat(globexCustomer.idsWithTitle("acme: payroll export fails")).isEmpty();
        try (HubStore store = HubStore.open(new StoreSettings("jdbc:h2:file:" + home + "/data/hub", "", ""))) {
            List<Link> acmeLinks = store.links().listBySync("acme", "acme-tickets", 0, 100);
            assertThat(acmeLinks).hasSize(1).allSatisfy(l -> {
                assertThat(l.sideA().connectionId()).isEqualTo("acme-snow");
                assertThat(l.sideB().connectionId()).isEqualTo("acme-fd");
            });
            assertThat(store.links().listBySync("acme", "globex-tickets", 0, 100)).isEmpty();
            assertThat(store.links().listBySync("globex", "acme-tickets", 0, 100)).isEmpty();
        }

        // the hub as a service: globex's webhook path does not lead to acme's connection
        try (HubBootstrap boot = HubBootstrap.load(config, name -> null);
                HubStore store = HubStore.open(new StoreSettings("jdbc:h2:file:" + home + "/data/hub", "", ""));
                HubRuntime runtime = new HubRuntime(boot.result().config(), boot.plugins(), store, Clock.systemUTC(),
                        HubRuntime.Mode.SERVE)) {
            runtime.start();
            TicketDesk.WebhookCall call = acmeCustomer.webhook(acmeTicket);
            assertThat(E2eHub.deliverWebhook(port, "globex", "acme-fd", call.body(), call.headers()))
                    .as("acme's connection under globex's path").isNotEqualTo(202).isGreaterThanOrEqualTo(400);
            assertThat(E2eHub.deliverWebhook(port, "acme", "acme-fd", call.body(), call.headers()))
                    .as("the same call on acme's own path").isEqualTo(202);
        }

        // a config in which globex's sync names acme's Freshdesk is refused before anything runs
        Path crossing = hub.config(tenants("acme-fd"), port);
        E2eHub.Run refused = hub.cli("run", "--config", crossing.toString(), "--once");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.out() + refused.err()).contains("cross-tenant reference");
    }

    /** Both tenants; globex's sync uses {@code globexRight} as its right connection. */
    private String tenants(String globexRight) {
        String acme = tenant("acme", acmeDesk.connection("acme-snow") + acmeCustomer.connection("acme-fd"),
                ticketSync("acme-tickets", "acme-snow", "acme-fd"));
        String globex = tenant("globex", globexDesk.connection("globex-snow") + globexCustomer.connection("globex-fd"),
                ticketSync("globex-tickets", "globex-snow", globexRight));
        return acme + globex.substring("tenants:\n".length());
    }
}
