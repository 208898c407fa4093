package org.itsmhub.runtime.flow.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.runtime.config.ConnectionConfig;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.config.SecretRedactor;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.config.TenantConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.flow.LeaseSettings;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.flow.SyncRunner;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.runtime.store.SyncLeaseRepository;
import org.itsmhub.runtime.store.SyncRunOutcome;
import org.itsmhub.testkit.contract.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Two hub nodes (two {@link SyncRunner}s, each with a store of its own on one database) take turns
 * at one ticket sync through its lease: a frozen node is taken over and fenced, a live one is not.
 * Leases last 2 s here; every wait is on a condition, never on a guess about speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class AbstractSyncLeaseTest {

    private static final String TENANT = "acme";
    private static final String SYNC = "acme-tickets";
    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final FakeTicketSystem desk = new FakeTicketSystem("desk", "acme-desk");
    private final FakeTicketSystem customer = new FakeTicketSystem("tool", "acme-tool");
    private final SyncConfig sync = new SyncConfig(TENANT, SYNC, "ticket-sync", "0 0 0 * * ?",
            Map.of("left-connection", "acme-desk", "right-connection", "acme-tool"));
    private DefaultCamelContext camel;
    private ConnectionRegistry registry;
    private HubStore storeOfA;
    private HubStore storeOfB;
    private LogCapture log;
    private final ScheduledExecutorService heartbeatsOfA = Executors.newSingleThreadScheduledExecutor();
    private final ScheduledExecutorService heartbeatsOfB = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch thawA = new CountDownLatch(1);
    private final CountDownLatch thawHeartbeatOfA = new CountDownLatch(1);

    abstract StoreSettings settings();

    @BeforeEach
    void startTwoNodes() throws Exception {
        storeOfA = HubStore.open(settings());
        storeOfB = HubStore.open(settings());
        ConnectorConfig empty = ConnectorConfig.of(new ConfigDef(), Map.of());
        Map<String, ConnectionConfig> acme = new LinkedHashMap<>();
        acme.put("acme-desk", new ConnectionConfig(TENANT, "acme-desk", "desk", Map.of(), empty));
        acme.put("acme-tool", new ConnectionConfig(TENANT, "acme-tool", "tool", Map.of(), empty));
        HubConfig config = new HubConfig(dir.resolve("hub.yaml"), HubSettings.defaults(),
                Map.of(TENANT, new TenantConfig(TENANT, acme, List.of())), new SecretRedactor(List.of()));
        Map<String, FakeTicketSystem> byConnection = Map.of("acme-desk", desk, "acme-tool", customer);
        registry = new ConnectionRegistry(config, plugin -> Optional.of(factory(byConnection)), Clock.systemUTC(),
                ConnectionRegistry.HostServices.none());
        TicketSyncFlow flow = new TicketSyncFlow(new ConnectorCalls(new ConnectorCalls.Policy(2,
                Duration.ofMillis(1), 1.0, Duration.ofMillis(5), 100, 50f, Duration.ofSeconds(1))));
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(SyncRunner.entryEndpoint(SYNC))
                        .process(e -> flow.run(e.getProperty(SyncContext.EXCHANGE_PROPERTY, SyncContext.class)));
            }
        });
        camel.start();
        log = LogCapture.open();
    }

    @AfterEach
    void stopNodes() {
        thawA.countDown();
        thawHeartbeatOfA.countDown();
        log.close();
        heartbeatsOfA.shutdownNow();
        heartbeatsOfB.shutdownNow();
        camel.stop();
        registry.close();
        storeOfA.close();
        storeOfB.close();
    }

    private SyncRunner node(String name, HubStore store, Duration waitLimit, ScheduledExecutorService heartbeats) {
        return new SyncRunner(List.of(sync), camel, registry, store, Clock.systemUTC(), new SimpleMeterRegistry(),
                new LeaseSettings(name, LEASE, waitLimit), heartbeats);
    }

    /** Stalls a node's heartbeat thread, as a SIGSTOP or a long GC pause would, until {@link #thawHeartbeatOfA}. */
    private void freeze(ScheduledExecutorService heartbeats) {
        heartbeats.execute(() -> {
            try {
                thawHeartbeatOfA.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private long lines(String fragment) {
        return log.text().lines().filter(l -> l.contains(fragment)).count();
    }

    @Test
    void aFrozenNodeIsTakenOverAfterItsLeaseEndsAndWritesNothingOnceItWakes() throws Exception {
        desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        desk.humanCreates("VPN down", TicketStatus.OPEN);
        SyncRunner nodeA = node("node-a", storeOfA, Duration.ofMinutes(1), heartbeatsOfA);
        SyncRunner nodeB = node("node-b", storeOfB, Duration.ofMinutes(1), heartbeatsOfB);
        CountDownLatch aIsReading = new CountDownLatch(1);
        desk.pauseNextRead(aIsReading, thawA);
        freeze(heartbeatsOfA);

        CompletableFuture<SyncResult> a = CompletableFuture.supplyAsync(() -> nodeA.run(SYNC));
        assertThat(aIsReading.await(30, TimeUnit.SECONDS)).isTrue();
        long runOfA = storeOfA.syncRuns().latest(TENANT, SYNC).orElseThrow().id();
        SyncResult b = nodeB.run(SYNC); // waits for A's lease to end, takes it over, syncs everything
        int writesBeforeAWakes = customer.writes();
        desk.humanCreates("Mail queue stuck", TicketStatus.OPEN); // A would create its twin, were it not fenced
        thawA.countDown(); // A's cycle wakes before its heartbeat has had a chance to learn of the takeover
        SyncResult resultOfA = a.get(30, TimeUnit.SECONDS);

        assertThat(b.outcome()).isEqualTo(SyncRunOutcome.SUCCEEDED);
        assertThat(customer.tickets()).extracting(Ticket::title)
                .containsExactlyInAnyOrder("Printer on fire", "VPN down"); // no duplicates, nothing from A
        assertThat(customer.writes()).as("writes by A after the takeover").isEqualTo(writesBeforeAWakes);
        assertThat(writesBeforeAWakes).as("B's two creates").isEqualTo(2);
        assertThat(resultOfA.outcome()).isEqualTo(SyncRunOutcome.ABANDONED);
        assertThat(storeOfB.syncRuns().get(runOfA).orElseThrow().outcome()).isEqualTo(SyncRunOutcome.ABANDONED);
        assertThat(storeOfB.syncRuns().get(runOfA).orElseThrow().message())
                .contains("node node-a lost its lease").contains("node node-b took the sync over (token 1→2)");
        assertThat(lines("waits: node node-a (run " + runOfA + ") holds its lease until"))
                .as("one line while B waits, not one per poll").isEqualTo(1);
        assertThat(lines("took the lease over from node node-a")).isEqualTo(1);
        assertThat(lines("node node-a lost its lease to node node-b (token 1→2); stopped before writing"))
                .isEqualTo(1);
    }

    @Test
    void aLiveNodesLeaseIsRenewedThroughALongCycleSoNoOtherNodeTakesItOver() throws Exception {
        desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        SyncRunner nodeA = node("node-a", storeOfA, Duration.ofMinutes(1), heartbeatsOfA);
        SyncRunner nodeB = node("node-b", storeOfB, Duration.ofMinutes(1), heartbeatsOfB);
        CountDownLatch aIsReading = new CountDownLatch(1);
        desk.pauseNextRead(aIsReading, thawA);

        CompletableFuture<SyncResult> a = CompletableFuture.supplyAsync(() -> nodeA.run(SYNC));
        assertThat(aIsReading.await(30, TimeUnit.SECONDS)).isTrue();
        SyncLeaseRepository.Lease first = storeOfB.syncLeases().get(TENANT, SYNC).orElseThrow();
        CompletableFuture<SyncResult> b = CompletableFuture.supplyAsync(() -> nodeB.run(SYNC));
        // alive for more than two lease lengths past its first deadline: renewed, never taken over
        await().atMost(Duration.ofSeconds(30)).until(() -> storeOfB.syncLeases().get(TENANT, SYNC).orElseThrow()
                .expiresAt().isAfter(first.expiresAt().plus(LEASE.multipliedBy(2))));
        await().atMost(Duration.ofSeconds(30)).until(() -> lines("waits: node node-a") == 1);

        assertThat(storeOfB.syncLeases().get(TENANT, SYNC).orElseThrow())
                .extracting(SyncLeaseRepository.Lease::holder, SyncLeaseRepository.Lease::token)
                .containsExactly("node-a", 1L);
        assertThat(b).as("B still waits").isNotDone();
        thawA.countDown();
        assertThat(a.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(SyncRunOutcome.SUCCEEDED);
        assertThat(b.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(SyncRunOutcome.SUCCEEDED);
        assertThat(customer.tickets()).hasSize(1);
        assertThat(lines("took the lease over")).isZero();
        assertThat(storeOfB.syncRuns().listRecent(TENANT, 10)).extracting(r -> r.outcome())
                .containsOnly(SyncRunOutcome.SUCCEEDED);
    }

    @Test
    void aKilledHoldersLeaseIsTakenOverAfterItEndsAndItsRunningRunBecomesAbandoned() {
        desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        // a node killed mid-cycle: its run stays RUNNING and its lease is never released
        long killedRun = storeOfA.syncRuns().start(TENANT, SYNC);
        assertThat(storeOfA.syncLeases().acquire(TENANT, SYNC, "killed-node", killedRun, LEASE).acquired()).isTrue();
        SyncRunner nodeB = node("node-b", storeOfB, Duration.ofMinutes(1), heartbeatsOfB);

        SyncResult b = nodeB.run(SYNC);

        assertThat(b.outcome()).isEqualTo(SyncRunOutcome.SUCCEEDED);
        assertThat(customer.tickets()).hasSize(1);
        assertThat(storeOfB.syncRuns().get(killedRun).orElseThrow()).satisfies(run -> {
            assertThat(run.outcome()).isEqualTo(SyncRunOutcome.ABANDONED);
            assertThat(run.endedAt()).isNotNull();
            assertThat(run.message()).contains("node killed-node lost its lease").contains("token 1→2");
        });
        assertThat(lines("took the lease over from node killed-node")).isEqualTo(1);
        assertThat(storeOfB.syncLeases().get(TENANT, SYNC).orElseThrow())
                .extracting(SyncLeaseRepository.Lease::holder, SyncLeaseRepository.Lease::token,
                        SyncLeaseRepository.Lease::runId)
                .as("released at the end, its token kept for the next holder to raise")
                .containsExactly("node-b", 2L, null);
    }

    @Test
    void aWaitingNodeGivesUpAfterItsLimitWithOneLineNamingTheHolderInsteadOfHanging() {
        long busyRun = storeOfA.syncRuns().start(TENANT, SYNC);
        Instant until = storeOfA.syncLeases().acquire(TENANT, SYNC, "busy-node", busyRun, Duration.ofHours(1))
                .lease().expiresAt();
        SyncRunner nodeB = node("node-b", storeOfB, Duration.ofSeconds(1), heartbeatsOfB);

        SyncResult b = nodeB.run(SYNC);

        assertThat(b.outcome()).isEqualTo(SyncRunOutcome.FAILED);
        assertThat(b.message()).startsWith("gave up after waiting PT1S (hub.cluster.lease-wait): node busy-node (run "
                + busyRun + ") holds its lease until " + until);
        assertThat(storeOfB.syncRuns().latest(TENANT, SYNC).orElseThrow())
                .extracting(r -> r.outcome(), r -> r.message()).containsExactly(SyncRunOutcome.FAILED, b.message());
        assertThat(lines("waits: node busy-node")).isEqualTo(1);
        assertThat(lines("gave up after waiting")).isEqualTo(1);
        assertThat(desk.calls(FakeTicketSystem.Call.READ_PAGE)).as("nothing read without the lease").isZero();
        assertThat(storeOfB.syncRuns().get(busyRun).orElseThrow().outcome()).isEqualTo(SyncRunOutcome.RUNNING);
    }

    private static ConnectorFactory factory(Map<String, FakeTicketSystem> byConnection) {
        return new ConnectorFactory() {
            @Override public String id() { return "fake"; }
            @Override public String version() { return "1"; }
            @Override public String description() { return "in-memory tickets"; }
            @Override public ConfigDef configDef() { return new ConfigDef(); }
            @Override public Class<? extends Connector> connectorType() { return FakeTicketSystem.class; }
            @Override public Connector create(ConnectorContext context) {
                return byConnection.get(context.connection());
            }
        };
    }
}
