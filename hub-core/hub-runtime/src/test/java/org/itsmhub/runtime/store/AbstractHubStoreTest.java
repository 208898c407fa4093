package org.itsmhub.runtime.store;

import org.itsmhub.testkit.time.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * What every database behind {@link HubStore} must do. Subclasses say where the store lives; each
 * test starts from empty tables and a clock standing at {@link #T0}.
 */
abstract class AbstractHubStoreTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");
    static final String TENANT = "acme";
    static final String SYNC = "acme-tickets";
    static final String APPLIED_MIGRATIONS =
            "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL";

    final TestClock clock = new TestClock(T0);
    HubStore store;

    /** Where this test's store lives. Called once per test; may be called again to reopen. */
    abstract StoreSettings settings();

    /** The Quartz driver delegate for this database. */
    abstract String quartzDelegateClass();

    /** Empties the store's tables, if {@link #settings()} does not already give an empty store. */
    void emptyTables(DataSource dataSource) throws SQLException {
    }

    @BeforeEach
    void openStore() throws SQLException {
        store = HubStore.open(settings(), clock);
        emptyTables(store.dataSource());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // --- webhook deliveries ----------------------------------------------------------------------

    @Test
    void aWebhookDeliveryIdIsNewOncePerConnectionWithinTheWindowAndNewAgainAfterIt() {
        Duration day = Duration.ofHours(24);
        String id = "d-" + java.util.UUID.randomUUID();

        assertThat(store.webhookDeliveries().firstSeen("acme", "acme-jira", id, day)).isTrue();
        assertThat(store.webhookDeliveries().firstSeen("acme", "acme-jira", id, day)).isFalse();
        assertThat(store.webhookDeliveries().firstSeen("acme", "other-jira", id, day)).isTrue();
        clock.advance(Duration.ofHours(25));
        assertThat(store.webhookDeliveries().firstSeen("acme", "acme-jira", id, day)).isTrue();
    }

    // --- store ---------------------------------------------------------------------------------

    @Test
    void healthCheckReportsOk() {
        assertThat(store.health()).isEqualTo(new StoreHealth(true, "ok"));
    }

    @Test
    void healthCheckReportsAnErrorInsteadOfThrowing() {
        store.close();

        StoreHealth health = store.health();

        assertThat(health.ok()).isFalse();
        assertThat(health.message()).startsWith("Store health check failed");
    }

    @Test
    void reopeningTheStoreRunsNoMigrationTwiceAndKeepsTheData() {
        store.cursors().put(TENANT, "snow", "tickets", "2025-03-01T10:00:00Z");
        long applied = count(APPLIED_MIGRATIONS);
        store.close();

        store = HubStore.open(settings(), clock);
        try (HubStore second = HubStore.open(settings(), clock)) {
            assertThat(second.cursors().get(TENANT, "snow", "tickets")).map(Cursor::value)
                    .contains("2025-03-01T10:00:00Z");
        }
        assertThat(applied).as("every versioned migration, applied once").isGreaterThanOrEqualTo(4);
        assertThat(count(APPLIED_MIGRATIONS)).isEqualTo(applied);
    }

    @Test
    void writesKeepSucceedingAfterThePoolHasReplacedEveryConnectionIncludingTheMigratingOne()
            throws SQLException, InterruptedException {
        // the pool retires connections at their maximum lifetime; on H2 the check constraints parsed by
        // the migrating session used to keep that session, so every write failed once it was closed
        StoreSettings settings = settings();
        // a session outside the pool keeps an embedded database open while the pool rotates, as the
        // pool's own connections do when they reach their lifetimes one at a time
        try (Connection outside = java.sql.DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
            for (int rotation = 0; rotation < 3; rotation++) {
                HikariPoolMXBean pool = ((HikariDataSource) store.dataSource()).getHikariPoolMXBean();
                pool.softEvictConnections();
                awaitNoConnectionFromBefore(pool);

                long run = store.syncRuns().start(TENANT, SYNC);
                store.syncRuns().finish(run, SyncCounts.ZERO, SyncRunOutcome.SUCCEEDED, "rotation " + rotation);
            }
        }

        assertThat(store.syncRuns().latest(TENANT, SYNC)).map(SyncRun::outcome).contains(SyncRunOutcome.SUCCEEDED);
    }

    /** Evicted connections are closed by the pool's own thread; wait until none is left open. */
    private static void awaitNoConnectionFromBefore(HikariPoolMXBean pool) throws InterruptedException {
        for (int i = 0; i < 100 && pool.getTotalConnections() > 0; i++) {
            Thread.sleep(20);
        }
    }

    @Test
    void aWrongPasswordFailsWithAStoreExceptionThatDoesNotShowIt() {
        StoreSettings wrong = new StoreSettings(settings().url(), settings().user(), "Wr0ng-Passw0rd");

        assertThatThrownBy(() -> HubStore.open(wrong, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Opening the store")
                .hasMessageNotContaining("Wr0ng-Passw0rd");
    }

    @Test
    void timestampsRoundTripAsUtcInstantsWithMicrosecondPrecision() {
        clock.advance(Duration.ofNanos(789)); // below what the databases keep

        Cursor written = store.cursors().put(TENANT, "snow", "tickets", "v1");

        assertThat(written.updatedAt()).isEqualTo(T0);
        assertThat(store.cursors().get(TENANT, "snow", "tickets")).map(Cursor::updatedAt).contains(T0);
    }

    // --- links ---------------------------------------------------------------------------------

    @Test
    void anUpsertedLinkCanBeFoundFromEitherSide() {
        Link link = store.links().upsert(ticketLink("INC001", "PRJ-1", "v1", "v2"));

        assertThat(link.id()).isPositive();
        assertThat(link.kind()).isEqualTo(RecordKind.TICKET);
        assertThat(link.sideA()).isEqualTo(new RecordRef("servicenow", "snow", "INC001", "https://snow/INC001"));
        assertThat(link.sideB()).isEqualTo(new RecordRef("jira", "jira", "PRJ-1", "https://jira/PRJ-1"));
        assertThat(link.createdAt()).isEqualTo(T0);
        assertThat(store.links().findBySideA(TENANT, SYNC, "snow", "INC001")).contains(link);
        assertThat(store.links().findBySideB(TENANT, SYNC, "jira", "PRJ-1")).contains(link);
        assertThat(store.links().findById(link.id())).contains(link);
        assertThat(store.links().findBySideA(TENANT, SYNC, "jira", "PRJ-1")).isEmpty();
    }

    @Test
    void upsertingTheSameLinkAgainUpdatesItsStateAndKeepsOneRow() {
        Link first = store.links().upsert(ticketLink("INC001", "PRJ-1", "v1", "v2"));
        clock.advance(Duration.ofMinutes(5));

        Link second = store.links().upsert(ticketLink("INC001", "PRJ-1", "v3", null));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.versionA()).isEqualTo("v3");
        assertThat(second.versionB()).isEqualTo("v2");
        assertThat(second.createdAt()).isEqualTo(T0);
        assertThat(second.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(count("SELECT COUNT(*) FROM links")).isEqualTo(1);
    }

    @Test
    void linkingARecordThatIsAlreadyLinkedToAnotherRecordIsRejected() {
        store.links().upsert(ticketLink("INC001", "PRJ-1", null, null));

        assertThatThrownBy(() -> store.links().upsert(ticketLink("INC001", "PRJ-2", null, null)))
                .isInstanceOf(StoreConflictException.class)
                .hasMessageContaining("snow/INC001");
        assertThatThrownBy(() -> store.links().upsert(ticketLink("INC002", "PRJ-1", null, null)))
                .isInstanceOf(StoreConflictException.class);
        assertThat(count("SELECT COUNT(*) FROM links")).isEqualTo(1);
    }

    @Test
    void replacingALinkRemovesTheLinksEitherRecordHadToOtherRecordsInOneGo() {
        store.links().upsert(ticketLink("INC001", "PRJ-1", null, null));
        store.links().upsert(ticketLink("INC002", "PRJ-2", null, null));

        List<Link> removed = store.links().replace(ticketLink("INC001", "PRJ-2", "a2", "b2"));

        assertThat(removed).extracting(l -> l.sideA().recordId() + "-" + l.sideB().recordId())
                .containsExactlyInAnyOrder("INC001-PRJ-1", "INC002-PRJ-2");
        assertThat(store.links().findBySideA(TENANT, SYNC, "snow", "INC001")).get()
                .satisfies(l -> assertThat(l.sideB().recordId()).isEqualTo("PRJ-2"));
        assertThat(count("SELECT COUNT(*) FROM links")).isEqualTo(1);
        assertThat(store.links().replace(ticketLink("INC001", "PRJ-2", null, null))).as("the same pair again")
                .isEmpty();
        assertThat(store.links().findBySideA(TENANT, SYNC, "snow", "INC001")).get()
                .extracting(Link::versionA).isEqualTo("a2");
    }

    @Test
    void theSameRecordCanBeLinkedInAnotherSyncOrTenant() {
        store.links().upsert(ticketLink("INC001", "PRJ-1", null, null));
        NewLink base = ticketLink("INC001", "PRJ-1", null, null);

        store.links().upsert(new NewLink(TENANT, "other-sync", base.kind(), base.sideA(), base.sideB(), null, null, null));
        store.links().upsert(new NewLink("globex", SYNC, base.kind(), base.sideA(), base.sideB(), null, null, null));

        assertThat(count("SELECT COUNT(*) FROM links")).isEqualTo(3);
    }

    @Test
    void updatingSyncStateKeepsVersionsPassedAsNull() {
        Link link = store.links().upsert(ticketLink("INC001", "PRJ-1", "a1", "b1"));
        clock.advance(Duration.ofSeconds(1));

        Link updated = store.links().updateSyncState(link.id(), null, "b2").orElseThrow();

        assertThat(updated.versionA()).isEqualTo("a1");
        assertThat(updated.versionB()).isEqualTo("b2");
        assertThat(updated.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(store.links().updateSyncState(999_999, "x", "y")).isEmpty();
    }

    @Test
    void linksAreFoundByCorrelationIdAndListedBySyncPageByPage() {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(store.links().upsert(ticketLink("INC00" + i, "PRJ-" + i, null, null)).id());
        }

        assertThat(store.links().findByCorrelationId(TENANT, "corr-INC003")).extracting(Link::id)
                .containsExactly(ids.get(2));
        List<Link> page1 = store.links().listBySync(TENANT, SYNC, 0, 2);
        List<Link> page2 = store.links().listBySync(TENANT, SYNC, page1.get(1).id(), 2);
        List<Link> page3 = store.links().listBySync(TENANT, SYNC, page2.get(1).id(), 2);
        assertThat(page1).extracting(Link::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(page2).extracting(Link::id).containsExactly(ids.get(2), ids.get(3));
        assertThat(page3).extracting(Link::id).containsExactly(ids.get(4));
        assertThat(store.links().listBySync(TENANT, "other-sync", 0, 10)).isEmpty();
    }

    // --- cursors -------------------------------------------------------------------------------

    @Test
    void aCursorIsStoredReplacedAndDeletedPerTenantConnectionAndStream() {
        assertThat(store.cursors().get(TENANT, "snow", "tickets")).isEmpty();

        store.cursors().put(TENANT, "snow", "tickets", "page-1");
        store.cursors().put(TENANT, "snow", "comments", "c-9");
        store.cursors().put("globex", "snow", "tickets", "g-1");
        clock.advance(Duration.ofMinutes(1));
        store.cursors().put(TENANT, "snow", "tickets", "page-2");

        assertThat(store.cursors().get(TENANT, "snow", "tickets"))
                .contains(new Cursor(TENANT, "snow", "tickets", "page-2", T0.plus(Duration.ofMinutes(1))));
        assertThat(store.cursors().get(TENANT, "snow", "comments")).map(Cursor::value).contains("c-9");
        assertThat(store.cursors().get("globex", "snow", "tickets")).map(Cursor::value).contains("g-1");
        assertThat(store.cursors().delete(TENANT, "snow", "tickets")).isTrue();
        assertThat(store.cursors().get(TENANT, "snow", "tickets")).isEmpty();
        assertThat(store.cursors().delete(TENANT, "snow", "tickets")).isFalse();
    }

    // --- outbox --------------------------------------------------------------------------------

    @Test
    void enqueueAddsAPendingEntry() {
        OutboxEntry entry = store.outbox().enqueue(write("key-1"));

        assertThat(entry.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(entry.attempts()).isZero();
        assertThat(entry.payload()).isEqualTo("{\"summary\":\"key-1\"}");
        assertThat(store.outbox().findByKey(TENANT, "key-1")).contains(entry);
        assertThat(store.outbox().findById(entry.id())).contains(entry);
    }

    @Test
    void enqueueingTheSameIdempotencyKeyTwiceKeepsOneEntry() {
        OutboxEntry first = store.outbox().enqueue(write("key-1"));
        store.outbox().markDone(first.id(), "created PRJ-1");

        OutboxEntry again = store.outbox().enqueue(
                new NewOutboxEntry(TENANT, SYNC, "jira", "createIssue", "key-1", "{\"different\":true}"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.status()).isEqualTo(OutboxStatus.DONE);
        assertThat(again.payload()).isEqualTo(first.payload());
        assertThat(count("SELECT COUNT(*) FROM outbox")).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyInAnotherTenantIsAnotherEntry() {
        OutboxEntry acme = store.outbox().enqueue(write("key-1"));
        OutboxEntry globex = store.outbox().enqueue(new NewOutboxEntry("globex", SYNC, "jira", "createIssue", "key-1", "{}"));

        assertThat(globex.id()).isNotEqualTo(acme.id());
        assertThat(store.outbox().findByKey("globex", "key-1")).contains(globex);
    }

    @Test
    void anUncertainAttemptIsCountedAndListedUntilTheEntryIsDone() {
        OutboxEntry uncertain = store.outbox().enqueue(write("key-1"));
        OutboxEntry untried = store.outbox().enqueue(write("key-2"));
        OutboxEntry otherSync = store.outbox().enqueue(new NewOutboxEntry(TENANT, "other-sync", "jira", "createIssue",
                "key-3", "{}"));

        assertThat(store.outbox().recordUncertainAttempt(uncertain.id())).isTrue();
        store.outbox().recordUncertainAttempt(otherSync.id());

        assertThat(store.outbox().listAttempted(TENANT, SYNC, "createIssue", 10)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(uncertain.id());
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
        });
        assertThat(store.outbox().findById(untried.id())).get().extracting(OutboxEntry::attempts).isEqualTo(0);
        store.outbox().markDone(uncertain.id(), "created PRJ-1");
        assertThat(store.outbox().listAttempted(TENANT, SYNC, "createIssue", 10)).isEmpty();
        assertThat(store.outbox().recordUncertainAttempt(uncertain.id())).as("no longer pending").isFalse();
    }

    @Test
    void concurrentEnqueuesOfTheSameKeyKeepOneEntry() throws Exception {
        List<OutboxEntry> results = runConcurrently(8, i -> store.outbox().enqueue(write("same-key")));

        assertThat(results).extracting(OutboxEntry::id).containsOnly(results.get(0).id());
        assertThat(count("SELECT COUNT(*) FROM outbox")).isEqualTo(1);
    }

    @Test
    void claimTakesTheOldestPendingEntriesAndCountsTheAttempt() {
        OutboxEntry e1 = store.outbox().enqueue(write("k1"));
        OutboxEntry e2 = store.outbox().enqueue(write("k2"));
        store.outbox().enqueue(write("k3"));

        List<OutboxEntry> claimed = store.outbox().claim("node-1", 2, Duration.ofMinutes(5));

        assertThat(claimed).extracting(OutboxEntry::id).containsExactly(e1.id(), e2.id());
        assertThat(claimed).allSatisfy(e -> {
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.claimedBy()).isEqualTo("node-1");
            assertThat(e.claimedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
            assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
        });
        assertThat(store.outbox().findById(e1.id())).contains(claimed.get(0));
    }

    @Test
    void aClaimedEntryIsNotClaimedAgainUntilItsLeaseRunsOut() {
        OutboxEntry entry = store.outbox().enqueue(write("k1"));
        store.outbox().claim("node-1", 10, Duration.ofMinutes(5));

        clock.advance(Duration.ofMinutes(4));
        assertThat(store.outbox().claim("node-2", 10, Duration.ofMinutes(5))).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        List<OutboxEntry> reclaimed = store.outbox().claim("node-2", 10, Duration.ofMinutes(5));
        assertThat(reclaimed).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(entry.id());
            assertThat(e.claimedBy()).isEqualTo("node-2");
            assertThat(e.attempts()).isEqualTo(2);
        });
    }

    @Test
    void storedErrorsAuditEntriesAndDeadLettersNeverHoldACredentialAVendorEchoed() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("sandbox-api-key:X".getBytes());
        org.itsmhub.runtime.logging.LogRedaction.register(List.of("sandbox-api-key"));
        org.itsmhub.runtime.logging.LogRedaction.registerSent("acme/desk", basic);
        String echo = "HTTP 401 {\"message\":\"bad credentials " + basic + "\",\"key\":\"sandbox-api-key\"}";
        try {
            long run = store.syncRuns().start(TENANT, SYNC);
            OutboxEntry write = store.outbox().enqueue(write("k-echo"));
            store.outbox().markFailed(write.id(), echo);
            store.syncRuns().finish(run, new SyncCounts(1, 0, 0, 0, 1), SyncRunOutcome.FAILED, echo);
            store.deadLetters().add(new NewDeadLetter(TENANT, SYNC, "desk", "T-1", "{\"note\":\"" + echo + "\"}",
                    echo, "AuthenticationException"));
            store.auditLog().append(new NewAuditEntry(TENANT, SYNC, "sync:" + SYNC, "freshdesk", "desk", "T-1",
                    "comment", "body", echo));

            List<String> stored = List.of(store.syncRuns().get(run).orElseThrow().message(),
                    store.outbox().findById(write.id()).orElseThrow().result(),
                    store.deadLetters().list(TENANT, null, 10).get(0).errorMessage(),
                    store.deadLetters().list(TENANT, null, 10).get(0).payload(),
                    store.auditLog().listByTenant(TENANT, null, null, 10).get(0).detail());
            assertThat(stored).allSatisfy(text -> assertThat(text).contains("bad credentials [hidden]")
                    .doesNotContain("sandbox-api-key").doesNotContain(basic.substring(6)));
        } finally {
            org.itsmhub.runtime.logging.LogRedaction.clear();
        }
    }

    @Test
    void doneAndFailedEntriesAreFinishedOnceAndNeverClaimed() {
        OutboxEntry done = store.outbox().enqueue(write("k1"));
        OutboxEntry failed = store.outbox().enqueue(write("k2"));

        assertThat(store.outbox().markDone(done.id(), "{\"key\":\"PRJ-1\"}")).isTrue();
        assertThat(store.outbox().markFailed(failed.id(), "400 Bad Request: summary is required")).isTrue();
        assertThat(store.outbox().markDone(done.id(), "again")).isFalse();
        assertThat(store.outbox().markFailed(done.id(), "late error")).isFalse();
        assertThat(store.outbox().markDone(999_999, "unknown")).isFalse();

        assertThat(store.outbox().findById(done.id())).hasValueSatisfying(e -> {
            assertThat(e.status()).isEqualTo(OutboxStatus.DONE);
            assertThat(e.result()).isEqualTo("{\"key\":\"PRJ-1\"}");
        });
        assertThat(store.outbox().findById(failed.id())).hasValueSatisfying(e -> {
            assertThat(e.status()).isEqualTo(OutboxStatus.FAILED);
            assertThat(e.result()).isEqualTo("400 Bad Request: summary is required");
        });
        clock.advance(Duration.ofDays(1));
        assertThat(store.outbox().claim("node-1", 10, Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void twoThreadsClaimingConcurrentlyNeverGetTheSameEntry() throws Exception {
        int total = 200;
        for (int i = 0; i < total; i++) {
            store.outbox().enqueue(write("k" + i));
        }
        AtomicInteger claimedSoFar = new AtomicInteger();

        List<List<Long>> perThread = runConcurrently(2, node -> {
            List<Long> mine = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (claimedSoFar.get() < total && System.nanoTime() < deadline) {
                for (OutboxEntry e : store.outbox().claim("node-" + node, 5, Duration.ofMinutes(5))) {
                    mine.add(e.id());
                    claimedSoFar.incrementAndGet();
                }
            }
            return mine;
        });

        List<Long> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        assertThat(all).doesNotHaveDuplicates().hasSize(total);
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE attempts = 1")).isEqualTo(total);
    }

    // --- dead letters --------------------------------------------------------------------------

    @Test
    void aFailureAddsAnOpenDeadLetterWithOneAttempt() {
        DeadLetter letter = store.deadLetters().add(failure("INC001", "timeout", "RetriableException"));

        assertThat(letter.status()).isEqualTo(DeadLetterStatus.OPEN);
        assertThat(letter.attempts()).isEqualTo(1);
        assertThat(letter.firstFailureAt()).isEqualTo(T0);
        assertThat(letter.lastFailureAt()).isEqualTo(T0);
        assertThat(letter.resolvedAt()).isNull();
        assertThat(store.deadLetters().get(letter.id())).contains(letter);
    }

    @Test
    void aRepeatedFailureOfTheSameRecordIncrementsAttemptsInsteadOfAddingALetter() {
        DeadLetter first = store.deadLetters().add(failure("INC001", "timeout", "RetriableException"));
        clock.advance(Duration.ofMinutes(10));

        DeadLetter second = store.deadLetters().add(failure("INC001", "field 'x' unknown", "DataMappingException"));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.firstFailureAt()).isEqualTo(T0);
        assertThat(second.lastFailureAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(second.errorMessage()).isEqualTo("field 'x' unknown");
        assertThat(second.errorType()).isEqualTo("DataMappingException");
        assertThat(count("SELECT COUNT(*) FROM dead_letters")).isEqualTo(1);
    }

    @Test
    void concurrentFailuresOfTheSameRecordKeepOneOpenLetterAndCountEveryAttempt() throws Exception {
        runConcurrently(8, i -> store.deadLetters().add(failure("INC001", "boom " + i, "X")));

        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement()
                .extracting(DeadLetter::attempts).isEqualTo(8);
    }

    @Test
    void aFailureAfterTheLetterWasClosedOpensANewLetter() {
        DeadLetter first = store.deadLetters().add(failure("INC001", "timeout", null));
        assertThat(store.deadLetters().markReplayed(first.id())).isTrue();

        DeadLetter second = store.deadLetters().add(failure("INC001", "timeout again", null));

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.attempts()).isEqualTo(1);
        assertThat(store.deadLetters().get(first.id())).hasValueSatisfying(l -> {
            assertThat(l.status()).isEqualTo(DeadLetterStatus.REPLAYED);
            assertThat(l.resolvedAt()).isEqualTo(T0);
        });
    }

    @Test
    void onlyOpenLettersCanBeReplayedOrDiscarded() {
        DeadLetter replayed = store.deadLetters().add(failure("INC001", "e", null));
        DeadLetter discarded = store.deadLetters().add(failure("INC002", "e", null));

        assertThat(store.deadLetters().markReplayed(replayed.id())).isTrue();
        assertThat(store.deadLetters().discard(discarded.id())).isTrue();
        assertThat(store.deadLetters().discard(replayed.id())).isFalse();
        assertThat(store.deadLetters().markReplayed(discarded.id())).isFalse();
        assertThat(store.deadLetters().discard(999_999)).isFalse();
        assertThat(store.deadLetters().get(discarded.id())).map(DeadLetter::status).contains(DeadLetterStatus.DISCARDED);
        assertThat(store.deadLetters().get(999_999)).isEmpty();
    }

    @Test
    void anOpenLetterIsResolvedOnceAndAFailureAfterThatOpensANewOne() {
        DeadLetter letter = store.deadLetters().add(failure("INC001", "timeout", null));
        clock.advance(Duration.ofMinutes(5));

        assertThat(store.deadLetters().resolve(letter.id())).isTrue();
        assertThat(store.deadLetters().resolve(letter.id())).isFalse();
        assertThat(store.deadLetters().markReplayed(letter.id())).isFalse();
        assertThat(store.deadLetters().get(letter.id())).hasValueSatisfying(l -> {
            assertThat(l.status()).isEqualTo(DeadLetterStatus.RESOLVED);
            assertThat(l.resolvedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        });
        assertThat(store.deadLetters().add(failure("INC001", "timeout again", null)).id()).isNotEqualTo(letter.id());
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.RESOLVED, 10)).extracting(DeadLetter::id)
                .containsExactly(letter.id());
    }

    @Test
    void theOpenLettersOfOneSyncAreListedInOneCall() {
        DeadLetter open = store.deadLetters().add(failure("INC001", "e", null));
        DeadLetter closed = store.deadLetters().add(failure("INC002", "e", null));
        store.deadLetters().discard(closed.id());
        store.deadLetters().add(new NewDeadLetter(TENANT, "other-sync", "snow", "INC001", null, "e", null));
        store.deadLetters().add(new NewDeadLetter("globex", SYNC, "snow", "INC001", null, "e", null));

        assertThat(store.deadLetters().listOpen(TENANT, SYNC)).extracting(DeadLetter::id).containsExactly(open.id());
    }

    @Test
    void deadLettersAreListedNewestFirstByTenantAndStatus() {
        DeadLetter a1 = store.deadLetters().add(failure("INC001", "e", null));
        clock.advance(Duration.ofSeconds(1));
        DeadLetter a2 = store.deadLetters().add(failure("INC002", "e", null));
        clock.advance(Duration.ofSeconds(1));
        DeadLetter g1 = store.deadLetters().add(new NewDeadLetter("globex", SYNC, "snow", "INC001", null, "e", null));
        store.deadLetters().discard(a1.id());

        assertThat(store.deadLetters().list(null, null, 10)).extracting(DeadLetter::id)
                .containsExactly(g1.id(), a2.id(), a1.id());
        assertThat(store.deadLetters().list(TENANT, null, 10)).extracting(DeadLetter::id)
                .containsExactly(a2.id(), a1.id());
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).extracting(DeadLetter::id)
                .containsExactly(a2.id());
        assertThat(store.deadLetters().list(null, DeadLetterStatus.DISCARDED, 10)).extracting(DeadLetter::id)
                .containsExactly(a1.id());
        assertThat(store.deadLetters().list(null, null, 1)).hasSize(1);
    }

    // --- sync runs -----------------------------------------------------------------------------

    @Test
    void aRunIsRecordedFromStartToFinish() {
        long id = store.syncRuns().start(TENANT, SYNC);
        assertThat(store.syncRuns().get(id)).hasValueSatisfying(run -> {
            assertThat(run.outcome()).isEqualTo(SyncRunOutcome.RUNNING);
            assertThat(run.startedAt()).isEqualTo(T0);
            assertThat(run.endedAt()).isNull();
            assertThat(run.counts()).isEqualTo(SyncCounts.ZERO);
        });
        clock.advance(Duration.ofSeconds(42));

        SyncRun finished = store.syncRuns().finish(id, new SyncCounts(10, 2, 3, 4, 1), SyncRunOutcome.PARTIAL,
                "1 record failed");

        assertThat(finished).isEqualTo(new SyncRun(id, TENANT, SYNC, T0, T0.plusSeconds(42),
                new SyncCounts(10, 2, 3, 4, 1), SyncRunOutcome.PARTIAL, "1 record failed"));
    }

    @Test
    void aRunCanBeFinishedOnlyOnce() {
        long id = store.syncRuns().start(TENANT, SYNC);
        store.syncRuns().finish(id, SyncCounts.ZERO, SyncRunOutcome.SUCCEEDED, null);

        assertThatThrownBy(() -> store.syncRuns().finish(id, SyncCounts.ZERO, SyncRunOutcome.FAILED, "late"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Finishing sync run " + id);
        assertThatThrownBy(() -> store.syncRuns().finish(id, SyncCounts.ZERO, SyncRunOutcome.RUNNING, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latestAndRecentRunsAreNewestFirst() {
        long first = store.syncRuns().start(TENANT, SYNC);
        clock.advance(Duration.ofMinutes(1));
        long other = store.syncRuns().start(TENANT, "acme-assets");
        clock.advance(Duration.ofMinutes(1));
        long second = store.syncRuns().start(TENANT, SYNC);
        clock.advance(Duration.ofMinutes(1));
        long globex = store.syncRuns().start("globex", SYNC);

        assertThat(store.syncRuns().latest(TENANT, SYNC)).map(SyncRun::id).contains(second);
        assertThat(store.syncRuns().latest(TENANT, "unknown")).isEmpty();
        assertThat(store.syncRuns().listRecent(TENANT, 10)).extracting(SyncRun::id).containsExactly(second, other, first);
        assertThat(store.syncRuns().listRecent(null, 2)).extracting(SyncRun::id).containsExactly(globex, second);
    }

    // --- audit log -----------------------------------------------------------------------------

    @Test
    void theAuditLogIsReadByTenantInTimeOrderWithinARange() {
        AuditEntry a = store.auditLog().append(audit("INC001", "create"));
        clock.advance(Duration.ofMinutes(1));
        AuditEntry b = store.auditLog().append(audit("INC002", "update"));
        clock.advance(Duration.ofMinutes(1));
        AuditEntry c = store.auditLog().append(audit("INC001", "comment"));
        store.auditLog().append(new NewAuditEntry("globex", null, "admin", null, null, null, "replay", null, null));

        assertThat(store.auditLog().listByTenant(TENANT, null, null, 10)).containsExactly(a, b, c);
        assertThat(store.auditLog().listByTenant(TENANT, T0.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofMinutes(2)), 10))
                .containsExactly(b);
        assertThat(store.auditLog().listByTenant(TENANT, T0.plus(Duration.ofMinutes(1)), null, 10)).containsExactly(b, c);
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 2)).containsExactly(a, b);
        assertThat(a.at()).isEqualTo(T0);
        assertThat(a.fieldsChanged()).isEqualTo("status,priority");
    }

    @Test
    void theAuditLogIsReadByRecord() {
        AuditEntry a = store.auditLog().append(audit("INC001", "create"));
        store.auditLog().append(audit("INC002", "create"));
        clock.advance(Duration.ofSeconds(1));
        AuditEntry c = store.auditLog().append(audit("INC001", "status"));

        assertThat(store.auditLog().listByRecord(TENANT, "snow", "INC001", 10)).containsExactly(a, c);
        assertThat(store.auditLog().listByRecord(TENANT, "jira", "INC001", 10)).isEmpty();
    }

    @Test
    void theDatabaseRejectsUpdatingTheAuditLog() {
        AuditEntry entry = store.auditLog().append(audit("INC001", "create"));

        assertThatThrownBy(() -> execute("UPDATE audit_log SET detail = 'forged' WHERE id = " + entry.id()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
        assertThat(store.auditLog().listByRecord(TENANT, "snow", "INC001", 10)).containsExactly(entry);
    }

    @Test
    void theDatabaseRejectsDeletingFromTheAuditLog() {
        AuditEntry entry = store.auditLog().append(audit("INC001", "create"));

        assertThatThrownBy(() -> execute("DELETE FROM audit_log"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
        assertThat(store.auditLog().listByRecord(TENANT, "snow", "INC001", 10)).containsExactly(entry);
    }

    // --- findings ------------------------------------------------------------------------------

    @Test
    void findingStatesAreInsertedAndUpdatedInOneBatchAndReadBackByKeyAndByAsset() {
        TrackedFinding web = finding(0, "web01:10001", "mac:00:1A", TrackedFinding.Status.ACTIVE, 0);
        TrackedFinding db = finding(0, "db01:10001", "mac:00:1B", TrackedFinding.Status.ACTIVE, 0);
        store.findings().saveStates(List.of(web, db));

        Map<String, TrackedFinding> read = store.findings().states(TENANT, SYNC, List.of("web01:10001", "db01:10001",
                "unknown"));
        assertThat(read).containsOnlyKeys("web01:10001", "db01:10001");
        TrackedFinding stored = read.get("web01:10001");
        assertThat(stored.id()).isPositive();
        assertThat(stored.firstSeen()).isEqualTo(T0);

        store.findings().saveStates(List.of(finding(stored.id(), "web01:10001", "mac:00:1A",
                TrackedFinding.Status.CLEARED, 2)));

        assertThat(store.findings().states(TENANT, SYNC, List.of("web01:10001")).get("web01:10001"))
                .satisfies(s -> {
                    assertThat(s.status()).isEqualTo(TrackedFinding.Status.CLEARED);
                    assertThat(s.absentCount()).isEqualTo(2);
                });
        assertThat(store.findings().activeOfAssets(TENANT, SYNC, "acme-scanner", List.of("mac:00:1A", "mac:00:1B")))
                .as("only active findings").extracting(TrackedFinding::key).containsExactly("db01:10001");
        assertThat(store.findings().countByStatus(TENANT, SYNC)).containsEntry(TrackedFinding.Status.ACTIVE, 1L)
                .containsEntry(TrackedFinding.Status.CLEARED, 1L);
    }

    @Test
    void aFindingKeyIsStoredOncePerSync() {
        store.findings().saveStates(List.of(finding(0, "web01:10001", null, TrackedFinding.Status.ACTIVE, 0)));

        assertThatThrownBy(() -> store.findings().saveStates(List.of(finding(0, "web01:10001", null,
                TrackedFinding.Status.ACTIVE, 0)))).isInstanceOf(StoreException.class);
    }

    @Test
    void theTicketOfAFindingGroupIsCreatedThenUpdatedInPlace() {
        FindingTicket created = store.findings().saveTicket(new FindingTicket(0, TENANT, SYNC, "finding:web01:10001",
                "acme-desk", "INC001", null, "ih:acme-signals:F:abc:1", null, FindingTicket.Status.OPEN, "P2", "h1",
                1, false, T0, null));
        assertThat(created.id()).isPositive();

        store.findings().saveTicket(created.with(FindingTicket.Status.RESOLVED, T0.plusSeconds(60)).withFlapping(true));

        assertThat(store.findings().ticket(TENANT, SYNC, "finding:web01:10001")).get().satisfies(t -> {
            assertThat(t.status()).isEqualTo(FindingTicket.Status.RESOLVED);
            assertThat(t.resolvedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(t.flapping()).isTrue();
            assertThat(t.id()).isEqualTo(created.id());
        });
        assertThat(store.findings().tickets(TENANT, SYNC, FindingTicket.Status.RESOLVED)).hasSize(1);
        assertThat(store.findings().ticket(TENANT, "other-sync", "finding:web01:10001")).isEmpty();
    }

    private static TrackedFinding finding(long id, String key, String assetKey, TrackedFinding.Status status,
            int absent) {
        return new TrackedFinding(id, TENANT, SYNC, key, "acme-scanner", assetKey, "finding:" + key, status, "HIGH",
                absent, "scan-1", T0, T0, status == TrackedFinding.Status.CLEARED ? T0 : null, "{}");
    }

    // --- Quartz tables -------------------------------------------------------------------------

    @Test
    void clusteredQuartzRunsAJobOnTheMigratedTables() throws Exception {
        String name = "store-test-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(name, new StoreConnections(store.dataSource()));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", quartzDelegateClass());
        p.setProperty("org.quartz.jobStore.dataSource", name);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        CountDownLatch ran = new CountDownLatch(1);
        LatchJob.LATCHES.put(name, ran);
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        try {
            scheduler.scheduleJob(JobBuilder.newJob(LatchJob.class).withIdentity("probe").usingJobData("latch", name).build(),
                    TriggerBuilder.newTrigger().withIdentity("probe").startNow().build());
            scheduler.start();

            assertThat(ran.await(20, TimeUnit.SECONDS)).as("job ran").isTrue();
            assertThat(count("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE WHERE SCHED_NAME = '" + name + "'")).isEqualTo(1);
            scheduler.clear();
        } finally {
            scheduler.shutdown(true);
            LatchJob.LATCHES.remove(name);
        }
    }

    /** Quartz job that counts down the latch named in its data. */
    public static final class LatchJob implements Job {
        static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

        @Override
        public void execute(JobExecutionContext context) {
            LATCHES.get(context.getMergedJobDataMap().getString("latch")).countDown();
        }
    }

    /** Hands Quartz connections from the store's pool. */
    private record StoreConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    static NewLink ticketLink(String snowId, String jiraKey, String versionA, String versionB) {
        return new NewLink(TENANT, SYNC, RecordKind.TICKET,
                new RecordRef("servicenow", "snow", snowId, "https://snow/" + snowId),
                new RecordRef("jira", "jira", jiraKey, "https://jira/" + jiraKey),
                "corr-" + snowId, versionA, versionB);
    }

    static NewOutboxEntry write(String key) {
        return new NewOutboxEntry(TENANT, SYNC, "jira", "createIssue", key, "{\"summary\":\"" + key + "\"}");
    }

    static NewDeadLetter failure(String recordRef, String error, String errorType) {
        return new NewDeadLetter(TENANT, SYNC, "snow", recordRef, "{\"id\":\"" + recordRef + "\"}", error, errorType);
    }

    static NewAuditEntry audit(String recordId, String action) {
        return new NewAuditEntry(TENANT, SYNC, "sync:" + SYNC, "servicenow", "snow", recordId, action,
                "status,priority", "{\"status\":\"resolved\"}");
    }

    long count(String sql) {
        try (Connection c = store.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads released at the same moment; returns results in index order. */
    static <T> List<T> runConcurrently(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.run(index);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLiveLeaseIsRefusedToAnotherNodeAndAnExpiredOneIsTakenOverWithTheNextTokenAbandoningItsRun() {
        Duration lease = Duration.ofSeconds(30);
        long runOfA = store.syncRuns().start(TENANT, SYNC);
        assertThat(store.syncLeases().acquire(TENANT, SYNC, "node-a", runOfA, lease).acquired()).isTrue();
        long runOfB = store.syncRuns().start(TENANT, SYNC);

        SyncLeaseRepository.Acquisition refused = store.syncLeases().acquire(TENANT, SYNC, "node-b", runOfB, lease);
        assertThat(refused.acquired()).isFalse();
        assertThat(refused.lease()).extracting(SyncLeaseRepository.Lease::holder, SyncLeaseRepository.Lease::runId,
                SyncLeaseRepository.Lease::expiresAt).containsExactly("node-a", runOfA, T0.plus(lease));

        clock.advance(Duration.ofSeconds(20));
        assertThat(store.syncLeases().renew(TENANT, SYNC, "node-a", 1, lease)).isTrue();
        clock.advance(Duration.ofSeconds(20)); // 40 s after the start: alive thanks to the renewal
        assertThat(store.syncLeases().acquire(TENANT, SYNC, "node-b", runOfB, lease).acquired()).isFalse();
        clock.advance(Duration.ofSeconds(10)); // the renewed lease ended

        SyncLeaseRepository.Acquisition taken = store.syncLeases().acquire(TENANT, SYNC, "node-b", runOfB, lease);
        assertThat(taken.acquired()).isTrue();
        assertThat(taken.lease().token()).isEqualTo(2);
        assertThat(taken.takenOver().holder()).isEqualTo("node-a");
        assertThat(store.syncRuns().get(runOfA).orElseThrow().outcome()).isEqualTo(SyncRunOutcome.ABANDONED);
        assertThat(store.syncLeases().renew(TENANT, SYNC, "node-a", 1, lease)).as("A is fenced off").isFalse();
        assertThat(store.syncRuns().abandon(runOfA, SyncCounts.ZERO, "again")).as("already abandoned").isFalse();

        store.syncLeases().release(TENANT, SYNC, "node-b", 2);
        SyncLeaseRepository.Acquisition next = store.syncLeases().acquire(TENANT, SYNC, "node-a", 99, lease);
        assertThat(next.takenOver()).as("a released lease abandons nothing").isNull();
        assertThat(next.lease().token()).as("the token never goes back").isEqualTo(3);
    }
}
