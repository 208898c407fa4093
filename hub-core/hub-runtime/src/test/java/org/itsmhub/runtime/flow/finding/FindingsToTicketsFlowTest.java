package org.itsmhub.runtime.flow.finding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.FindingSource.Clearing;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Severity;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.runtime.config.ConnectionConfig;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.config.SecretRedactor;
import org.itsmhub.runtime.config.TenantConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.flow.RecordHints;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.flow.finding.FakeSignalsAndDesk.Desk;
import org.itsmhub.runtime.flow.finding.FakeSignalsAndDesk.Signals;
import org.itsmhub.runtime.store.AuditEntry;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Findings of a scanner (cleared by absence) and a backup server (reports clearing) to an in-memory desk. */
class FindingsToTicketsFlowTest {

    private static final String TENANT = "acme";
    private static final String SYNC = "acme-signals";

    @TempDir
    Path dir;

    // nanoseconds, as a real clock has, which the store keeps only to the microsecond
    private final TestClock clock = new TestClock(Instant.parse("2026-11-02T08:00:00.123456789Z"));
    private final Signals scanner = new Signals(Clearing.BY_ABSENCE);
    private final Signals backups = new Signals(Clearing.REPORTED);
    private final Desk desk = new Desk("acme-desk", clock);
    private final FindingsToTicketsFlow flow = new FindingsToTicketsFlow(new ConnectorCalls(new ConnectorCalls.Policy(
            1, Duration.ofMillis(1), 1.0, Duration.ofMillis(5), 100, 50f, Duration.ofSeconds(1))));
    private final Map<String, String> parameters = new LinkedHashMap<>(Map.of(
            "source-connections", "acme-scanner, acme-backups", "ticket-connection", "acme-desk"));
    private HubStore store;
    private ConnectionRegistry registry;
    private int scan;

    @BeforeEach
    void open() {
        store = HubStore.open(StoreSettings.h2File(dir.resolve("hub")), clock);
        ConnectorConfig empty = ConnectorConfig.of(new ConfigDef(), Map.of());
        Map<String, ConnectionConfig> acme = new LinkedHashMap<>();
        for (String id : List.of("acme-scanner", "acme-backups", "acme-desk")) {
            acme.put(id, new ConnectionConfig(TENANT, id, "fake", Map.of(), empty));
        }
        HubConfig config = new HubConfig(dir.resolve("hub.yaml"), HubSettings.defaults(),
                Map.of(TENANT, new TenantConfig(TENANT, acme, List.of())), new SecretRedactor(List.of()));
        Map<String, Connector> byConnection = Map.of("acme-scanner", scanner, "acme-backups", backups,
                "acme-desk", desk);
        registry = new ConnectionRegistry(config, plugin -> Optional.of(factory(byConnection)), clock,
                ConnectionRegistry.HostServices.none());
    }

    @AfterEach
    void close() {
        registry.close();
        store.close();
    }

    @Test
    void aScanOpensOneTicketPerDistinctFindingAtOrAboveTheThresholdWithTheCorrelationIdInTheCreate() {
        parameters.put("min-severity", "vulnerability=medium");
        scanner.observes(nextScan(
                vuln("web01", "10001", Severity.HIGH), vuln("web01", "10002", Severity.LOW),
                vuln("db01", "10001", Severity.CRITICAL), vuln("db01", "10003", Severity.MEDIUM),
                vuln("db01", "10003", Severity.MEDIUM)));

        SyncContext run = cycle();

        assertThat(desk.tickets()).hasSize(3);
        assertThat(desk.takeCalls()).as("one lookup for the page first: the desk may hold tickets the store"
                + " does not know (a lost or restored store)").containsExactly("find 3", "create", "create", "create");
        Ticket web = byTitle("Plugin 10001 on web01");
        assertThat(web.priority()).as("high severity, medium impact").isEqualTo(Priority.P2);
        assertThat(web.correlationId()).startsWith("ih:acme-signals:F:").endsWith(":1");
        assertThat(web.description()).contains("Where: web01 (host web01; MAC 00:1A:2B:3C:4D:01)",
                "cve: CVE-2026-10001", "Solution: Patch 10001.", "Resolve by 2026-11-03T08:00:00Z (P2 target 1d)");
        assertThat(web.description()).as("the observation id changes every scan").doesNotContain("scan-1");
        assertThat(run.summary().created()).isEqualTo(3);
        assertThat(run.summary().read()).isEqualTo(5);
        assertThat(run.summary().skipped()).as("one below the threshold, one a duplicate").isEqualTo(2);
        assertThat(run.summary().addsUp()).isTrue();
    }

    @Test
    void everyFindingReadEndsInExactlyOneOutcomeAndAFindingInAGroupCountsWithItsTicket() {
        parameters.put("grouping", "asset");
        parameters.put("clear-after", "1");
        parameters.put("min-severity", "vulnerability=medium");
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web01", "10002", Severity.MEDIUM),
                vuln("web02", "10003", Severity.LOW)));

        SyncContext first = cycle();

        assertThat(desk.tickets()).hasSize(1);
        assertThat(first.summary()).extracting(s -> s.read(), s -> s.created(), s -> s.updated(), s -> s.unchanged(),
                s -> s.skipped(), s -> s.failed()).containsExactly(3L, 2L, 0L, 0L, 1L, 0L);

        scanner.observes(nextScan(vuln("web01", "10002", Severity.MEDIUM))); // 10001 gone from web01
        SyncContext second = cycle();

        // 10002 is unchanged; the group taken up for the cleared 10001 counts as one record read, updated
        assertThat(second.summary()).extracting(s -> s.read(), s -> s.created(), s -> s.updated(), s -> s.unchanged(),
                s -> s.skipped(), s -> s.failed()).containsExactly(2L, 0L, 1L, 1L, 0L, 0L);
        assertThat(cycle().summary().addsUp()).isTrue();
    }

    @Test
    void theSameFindingsSeenAgainUpdateNothingAndAQuietCycleMakesNoCallToTheDesk() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();
        desk.takeCalls();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();
        SyncContext quiet = cycle();

        assertThat(desk.tickets()).hasSize(1);
        assertThat(desk.takeCalls()).isEmpty();
        assertThat(quiet.summary().created() + quiet.summary().updated()).isZero();
    }

    @Test
    void theSameFindingReportedByAnotherScanRecordLeavesItsTicketAlone() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();
        desk.takeCalls();
        Finding again = nextScan(vuln("web01", "10001", Severity.HIGH))[0];

        scanner.observes(new Finding(again.key(), again.kind(), again.severity(), again.state(), again.title(),
                again.detail(), again.solution(), ExternalRef.of("scanner", "acme-scanner", "ad-hoc-scan"), again.asset(),
                again.evidence(), again.firstSeen(), again.lastSeen()));
        cycle();

        assertThat(desk.takeCalls()).isEmpty();
        assertThat(desk.tickets().get(0).description()).contains("Source: scanner acme-scanner/weekly-scan");
    }

    @Test
    void aFindingWhoseEvidenceChangedUpdatesItsTicketOnce() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.MEDIUM)));
        cycle();
        desk.takeCalls();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.CRITICAL)));
        cycle();

        String id = desk.tickets().get(0).ref().id();
        assertThat(desk.takeCalls()).containsExactly("fetch " + id, "update " + id);
        assertThat(desk.ticket(id).priority()).isEqualTo(Priority.P2);
    }

    @Test
    void aTicketIsResolvedOnlyAfterTheSecondScanWithoutTheItemAndAHostMissingFromAScanClosesNothing() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web01", "10002", Severity.HIGH),
                vuln("db01", "10001", Severity.HIGH)));
        cycle();
        String fixed = byTitle("Plugin 10002 on web01").ref().id();
        desk.takeCalls();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH))); // db01 not scanned; 10002 gone
        cycle();
        assertThat(desk.takeCalls()).as("one clean scan is not yet proof").isEmpty();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();

        assertThat(desk.takeCalls()).containsExactly("fetch " + fixed, "comment " + fixed,
                "status " + fixed + " RESOLVED");
        assertThat(desk.ticket(fixed).status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(desk.commentsOf(fixed)).singleElement().satisfies(c -> assertThat(c.body())
                .contains("verified gone", "absent in 2 consecutive observations", "scan-3"));
        assertThat(desk.tickets()).filteredOn(t -> t.status() == TicketStatus.NEW).hasSize(2);
        assertThat(byTitle("Plugin 10001 on db01").status()).as("db01 was never rescanned").isEqualTo(TicketStatus.NEW);
    }

    @Test
    void aBackupFailureIsResolvedAfterTwoDistinctSuccessfulRunsNotAfterOneRunPolledTwice() {
        backups.observes(backup(FindingState.PRESENT, "session-1"));
        cycle();
        String id = desk.tickets().get(0).ref().id();
        assertThat(desk.ticket(id).priority()).isEqualTo(Priority.P2);
        desk.takeCalls();

        backups.observes(backup(FindingState.CLEARED, "session-2"));
        backups.observes(backup(FindingState.CLEARED, "session-2"));
        cycle();
        assertThat(desk.ticket(id).status()).isEqualTo(TicketStatus.NEW);

        backups.observes(backup(FindingState.CLEARED, "session-3"));
        cycle();

        assertThat(desk.ticket(id).status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(audit()).extracting(AuditEntry::action).containsSubsequence("create", "resolve");
    }

    @Test
    void aProblemThatComesBackAfterTheFlapWindowReopensItsTicketByDefault() {
        resolvedBackupTicket();
        clock.advance(Duration.ofDays(10));

        backups.observes(backup(FindingState.PRESENT, "session-9"));
        cycle();

        assertThat(desk.tickets()).singleElement().extracting(Ticket::status).isEqualTo(TicketStatus.OPEN);
        assertThat(audit()).extracting(AuditEntry::action).contains("reopen");
    }

    @Test
    void withTheNewTicketPolicyAProblemThatComesBackOpensANewTicketNamingTheOldOne() {
        parameters.put("recurrence", "new-ticket");
        String old = resolvedBackupTicket();
        clock.advance(Duration.ofDays(10));

        backups.observes(backup(FindingState.PRESENT, "session-9"));
        cycle();

        assertThat(desk.tickets()).hasSize(2);
        Ticket fresh = desk.tickets().get(1);
        assertThat(fresh.description()).contains("Previous ticket for this problem: " + old);
        assertThat(fresh.correlationId()).endsWith(":2");
        assertThat(desk.ticket(old).status()).isEqualTo(TicketStatus.RESOLVED);
    }

    @Test
    void aProblemThatFlapsReopensTheSameTicketWhichThenNeedsTwiceAsManyCleanObservations() {
        parameters.put("recurrence", "new-ticket");
        String id = resolvedBackupTicket();
        clock.advance(Duration.ofDays(1));

        backups.observes(backup(FindingState.PRESENT, "session-4"));
        cycle();
        assertThat(desk.tickets()).singleElement().extracting(Ticket::status).isEqualTo(TicketStatus.OPEN);

        for (int run = 5; run <= 7; run++) {
            backups.observes(backup(FindingState.CLEARED, "session-" + run));
            cycle();
        }
        assertThat(desk.ticket(id).status()).as("three clean runs are not enough now").isEqualTo(TicketStatus.OPEN);
        backups.observes(backup(FindingState.CLEARED, "session-8"));
        cycle();
        assertThat(desk.ticket(id).status()).isEqualTo(TicketStatus.RESOLVED);
    }

    @Test
    void aTicketAHumanResolvedWhileTheProblemPersistsIsNotReopenedAndTheDecisionIsRecorded() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.MEDIUM)));
        cycle();
        String id = desk.tickets().get(0).ref().id();
        desk.humanSetsStatus(id, TicketStatus.RESOLVED);
        desk.takeCalls();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH))); // changed: the hub looks
        cycle();
        scanner.observes(nextScan(vuln("web01", "10001", Severity.CRITICAL)));
        cycle();

        assertThat(desk.takeCalls()).containsExactly("fetch " + id);
        assertThat(desk.ticket(id).status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(audit()).extracting(AuditEntry::action).contains("closed-by-human");
    }

    @Test
    void aRiskAcceptedTicketIsNeverReopenedEvenWhenTheProblemComesBack() {
        backups.observes(backup(FindingState.PRESENT, "session-1"));
        cycle();
        String id = desk.tickets().get(0).ref().id();
        desk.humanSetsStatus(id, TicketStatus.CANCELLED);
        backups.observes(backup(FindingState.CLEARED, "session-2"));
        backups.observes(backup(FindingState.CLEARED, "session-3"));
        cycle();
        desk.takeCalls();

        backups.observes(backup(FindingState.PRESENT, "session-4"));
        cycle();

        assertThat(desk.takeCalls()).isEmpty();
        assertThat(desk.tickets()).singleElement().extracting(Ticket::status).isEqualTo(TicketStatus.CANCELLED);
        assertThat(audit()).extracting(AuditEntry::action).contains("risk-accepted");
    }

    @Test
    void groupedPerAssetOneTicketListsEveryFindingAndIsResolvedOnlyWhenAllAreGone() {
        parameters.put("grouping", "asset");
        parameters.put("clear-after", "1");
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web01", "10002", Severity.MEDIUM)));
        cycle();
        Ticket ticket = desk.tickets().get(0);
        assertThat(desk.tickets()).hasSize(1);
        assertThat(ticket.title()).isEqualTo("2 findings on web01");

        scanner.observes(nextScan(vuln("web01", "10002", Severity.MEDIUM)));
        cycle();
        assertThat(desk.ticket(ticket.ref().id()).title()).isEqualTo("Plugin 10002 on web01");
        assertThat(desk.ticket(ticket.ref().id()).status()).isEqualTo(TicketStatus.NEW);

        scanner.observes(nextScan(vuln("web01", "99999", Severity.INFO))); // host scanned, both items gone
        cycle();
        assertThat(desk.ticket(ticket.ref().id()).status()).isEqualTo(TicketStatus.RESOLVED);
    }

    @Test
    void groupedPerVulnerabilityTheSameProblemOnManyHostsIsOneTicket() {
        parameters.put("grouping", "vulnerability");
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web02", "10001", Severity.HIGH),
                vuln("db01", "10001", Severity.HIGH)));

        cycle();

        assertThat(desk.tickets()).singleElement().extracting(Ticket::title).isEqualTo("Plugin 10001 on 3 assets");
    }

    @Test
    void criticalAssetsRaiseTheImpactAndThePriorityMatrixCanBeOverridden() {
        parameters.put("critical-assets", "^db");
        parameters.put("priority-matrix", "medium/low=P3");
        scanner.observes(nextScan(vuln("db01", "10001", Severity.HIGH), vuln("web01", "10002", Severity.LOW)));

        cycle();

        assertThat(byTitle("Plugin 10001 on db01").priority()).as("high impact x high urgency").isEqualTo(Priority.P1);
        assertThat(byTitle("Plugin 10002 on web01").priority()).as("overridden cell").isEqualTo(Priority.P3);
    }

    @Test
    void aGroupThatCannotBeWrittenIsDeadLetteredWithTheVendorsMessageAndRetriedOnTheNextCycle() {
        desk.failCreates(true);
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));

        SyncContext run = cycle();

        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement()
                .extracting(DeadLetter::errorMessage).asString().contains("'caller_id' is mandatory");
        long letter = store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10).get(0).id();
        desk.failCreates(false);
        desk.takeCalls();

        SyncContext retry = cycle(); // nothing new observed: the dead letter alone brings the group to its ticket

        assertThat(desk.takeCalls()).as("the hub looks first, then creates")
                .containsExactly("find 1", "create");
        assertThat(desk.tickets()).hasSize(1);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).isEmpty();
        assertThat(store.deadLetters().get(letter)).map(DeadLetter::status).contains(DeadLetterStatus.RESOLVED);
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 50))
                .filteredOn(e -> e.action().equals("dead-letter-resolved")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("dead letter " + letter)
                        .contains("run " + retry.runId()));
    }

    @Test
    void aTicketCreatedJustBeforeACrashIsFoundByItsCorrelationIdInsteadOfBeingCreatedTwice() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();
        Ticket first = desk.tickets().get(0);
        // what a crash between "created" and "stored" leaves: the same group again with its ticket row lost
        String correlationId = first.correlationId();
        try (var c = store.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM finding_tickets");
            st.executeUpdate("DELETE FROM finding_states");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(store.outbox().findByKey(TENANT, correlationId)).isPresent();
        desk.takeCalls();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();

        assertThat(desk.takeCalls()).containsExactly("find 1");
        assertThat(desk.tickets()).hasSize(1);
        assertThat(audit()).extracting(AuditEntry::action).contains("relink");
    }

    @Test
    void aLostStoreOpensNoSecondTicketAndTakesBackEveryTicketWithOneLookup() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web02", "10002", Severity.HIGH),
                vuln("db01", "10003", Severity.CRITICAL)));
        cycle();
        assertThat(desk.tickets()).hasSize(3);
        openStoreAt("fresh"); // a new data folder: no finding states, no tickets, no outbox
        desk.takeCalls();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web02", "10002", Severity.HIGH),
                vuln("db01", "10003", Severity.CRITICAL)));
        SyncContext after = cycle();

        assertThat(desk.tickets()).hasSize(3);
        assertThat(desk.takeCalls()).as("one lookup for the page; the tickets already say what the hub would")
                .containsExactly("find 3");
        assertThat(after.summary().created()).isZero();
        assertThat(after.summary().addsUp()).isTrue();
        assertThat(audit()).filteredOn(e -> e.action().equals("relink")).hasSize(3);
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web02", "10002", Severity.HIGH),
                vuln("db01", "10003", Severity.CRITICAL)));
        cycle();
        assertThat(desk.takeCalls()).as("taken back, the groups cost no lookup").isEmpty();

        // db01 scanned twice without 10003 (an informational finding shows the host was scanned)
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("db01", "10009", Severity.INFO)));
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("db01", "10009", Severity.INFO)));
        cycle();
        assertThat(byTitle("Plugin 10003 on db01").status()).as("a ticket taken back still closes when its problem"
                + " verifiably went away").isEqualTo(TicketStatus.RESOLVED);
    }

    @Test
    void aStoreRestoredFromBeforeSomeCreatesOpensNoDuplicateAndLooksUpOnlyTheGroupsItHasNoTicketFor() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();
        copyStore("backup");
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web02", "10002", Severity.HIGH),
                vuln("db01", "10003", Severity.CRITICAL)));
        cycle();
        assertThat(desk.tickets()).hasSize(3);
        openStoreAt("backup");
        desk.takeCalls();

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH), vuln("web02", "10002", Severity.HIGH),
                vuln("db01", "10003", Severity.CRITICAL)));
        SyncContext after = cycle();

        assertThat(desk.tickets()).hasSize(3);
        assertThat(desk.takeCalls()).containsExactly("find 2");
        assertThat(after.summary().created()).isZero();
        assertThat(after.summary().failed()).isZero();
    }

    @Test
    void afterALostStoreAClosedTicketOfAProblemStillPresentCountsAsComeBackAndANewTicketIsNotDuplicated() {
        parameters.put("recurrence", "new-ticket");
        String old = resolvedBackupTicket();
        clock.advance(Duration.ofDays(10));
        backups.observes(backup(FindingState.PRESENT, "session-9"));
        cycle();
        assertThat(desk.tickets()).hasSize(2);
        openStoreAt("fresh");
        desk.takeCalls();

        backups.observes(backup(FindingState.PRESENT, "session-10"));
        SyncContext after = cycle();

        assertThat(desk.tickets()).as("the second generation, open, is taken back; nothing is created").hasSize(2);
        assertThat(desk.takeCalls()).as("generation 1 is closed, so generation 2 is asked for; the first-seen time"
                + " the lost store kept is now the time seen again, so the ticket is rewritten once")
                .containsExactly("find 1", "find 1", "update T2");
        assertThat(desk.ticket("T2").description()).contains("Previous ticket for this problem: " + old);
        assertThat(after.summary().created()).isZero();
        assertThat(desk.ticket(old).status()).isEqualTo(TicketStatus.RESOLVED);

        openStoreAt("fresh-again");
        desk.humanSetsStatus(desk.tickets().get(1).ref().id(), TicketStatus.RESOLVED);
        backups.observes(backup(FindingState.PRESENT, "session-11"));
        cycle();
        assertThat(desk.tickets()).as("both closed while the problem is present: it came back, third ticket")
                .hasSize(3);
        assertThat(desk.tickets().get(2).correlationId()).endsWith(":3");
    }

    @Test
    void aGroupWhoseTicketCannotBeLookedUpIsDeadLetteredNotCreatedBlindly() {
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        cycle();
        openStoreAt("fresh");
        desk.takeCalls();
        desk.failLookups(true);

        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));
        SyncContext run = cycle();

        assertThat(desk.takeCalls()).as("the page's lookup, then the group's own").containsExactly("find 1", "find 1");
        assertThat(desk.tickets()).hasSize(1);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement()
                .satisfies(d -> assertThat(d.errorMessage()).contains("search failed"));
        assertThat(run.summary().failed()).isEqualTo(1);

        desk.failLookups(false);
        cycle();
        assertThat(desk.tickets()).as("the letter retried once the desk answers").hasSize(1);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private String resolvedBackupTicket() {
        backups.observes(backup(FindingState.PRESENT, "session-1"));
        backups.observes(backup(FindingState.CLEARED, "session-2"));
        backups.observes(backup(FindingState.CLEARED, "session-3"));
        cycle();
        Ticket t = desk.tickets().get(0);
        assertThat(t.status()).isEqualTo(TicketStatus.RESOLVED);
        return t.ref().id();
    }

    /** The hub stopped, its data folder replaced by {@code name} (a new one, or a copy taken earlier). */
    private void openStoreAt(String name) {
        store.close();
        store = HubStore.open(StoreSettings.h2File(dir.resolve(name)), clock);
    }

    /** A copy of the store's file taken with the hub stopped, as docs/operations.md says to. */
    private void copyStore(String name) {
        store.close();
        try {
            java.nio.file.Files.copy(dir.resolve("hub.mv.db"), dir.resolve(name + ".mv.db"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store = HubStore.open(StoreSettings.h2File(dir.resolve("hub")), clock);
    }

    private SyncContext cycle() {
        SyncContext context = new SyncContext(store.syncRuns().start(TENANT, SYNC), TENANT, SYNC,
                "findings-to-tickets", parameters, RecordHints.none(), registry, store, clock);
        flow.run(context);
        return context;
    }

    private Finding[] nextScan(Finding... findings) {
        scan++;
        Finding[] out = new Finding[findings.length];
        for (int i = 0; i < findings.length; i++) {
            Finding f = findings[i];
            Map<String, String> evidence = new LinkedHashMap<>(f.evidence());
            evidence.put(Finding.OBSERVATION, "scan-" + scan);
            out[i] = new Finding(f.key(), f.kind(), f.severity(), f.state(), f.title(), f.detail(), f.solution(),
                    ExternalRef.of("scanner", "acme-scanner", "weekly-scan"), f.asset(), evidence, f.firstSeen(),
                    clock.instant());
        }
        return out;
    }

    private Finding vuln(String host, String plugin, Severity severity) {
        String mac = switch (host) {
            case "web01" -> "00:1a:2b:3c:4d:01";
            case "web02" -> "00:1a:2b:3c:4d:02";
            default -> "00:1a:2b:3c:4d:03";
        };
        AssetIdentity asset = new AssetIdentity(null, host, null, List.of(mac), List.of(), Map.of());
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("port", "443");
        evidence.put("cve", "CVE-2026-" + plugin);
        evidence.put("severity.seen", severity.name());
        evidence.put(Finding.PROBLEM, plugin);
        return new Finding(host + ":" + plugin + ":443:tcp", FindingKind.VULNERABILITY, severity, FindingState.PRESENT,
                "Plugin " + plugin, "Something is exposed.", "Patch " + plugin + ".", null, asset, evidence, null,
                clock.instant());
    }

    private Finding backup(FindingState state, String session) {
        return new Finding("veeam:vbr01:job:42:backup-failure", FindingKind.BACKUP_FAILURE,
                state == FindingState.PRESENT ? Severity.HIGH : Severity.INFO, state, "Backup job 'SQL nightly' failed",
                null, "Check the job's session log.", ExternalRef.of("veeam", "acme-backups", "42"), null,
                Map.of(Finding.OBSERVATION, session, "lastResult", state == FindingState.PRESENT ? "Failed" : "Success"),
                null, clock.instant());
    }

    private Ticket byTitle(String title) {
        return desk.tickets().stream().filter(t -> t.title().equals(title)).findFirst().orElseThrow(
                () -> new AssertionError("no ticket titled '" + title + "' in " + desk.tickets()));
    }

    private List<AuditEntry> audit() {
        return store.auditLog().listByTenant(TENANT, null, null, 100);
    }

    private static ConnectorFactory factory(Map<String, Connector> byConnection) {
        return new ConnectorFactory() {
            @Override public String id() { return "fake"; }
            @Override public String version() { return "1"; }
            @Override public String description() { return "in-memory signals and desk"; }
            @Override public ConfigDef configDef() { return new ConfigDef(); }
            @Override public Class<? extends Connector> connectorType() { return Connector.class; }
            @Override public Connector create(ConnectorContext context) {
                return byConnection.get(context.connection());
            }
        };
    }

    @Test
    void aScanTheSourceCannotReadIsDeadLetteredAsAWholeAndTheLaterScanStillOpensItsTickets() {
        scanner.cannotRead(org.itsmhub.api.connector.RejectedRecord.of("scan 7 history 70",
                "Nessus scan export is not a .nessus file: line 1, column 1", "<html>oops</html>"));
        scanner.observes(nextScan(vuln("web01", "10001", Severity.HIGH)));

        SyncContext run = cycle();

        assertThat(desk.tickets()).hasSize(1);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement().satisfies(l -> {
            assertThat(l.recordRef()).isEqualTo("finding:scan 7 history 70");
            assertThat(l.payload()).isEqualTo("<html>oops</html>");
            assertThat(l.errorType()).isEqualTo("RejectedRecord");
        });
        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(run.summary().addsUp()).isTrue();
    }
}
