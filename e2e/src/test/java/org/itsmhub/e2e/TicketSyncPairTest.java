package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.ticketSync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.store.AuditEntry;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

/**
 * The ticket-sync behaviour of issue 5, end to end for one pair of ticket systems: the real plugin
 * zips, the two vendor sandboxes over HTTP, the H2 store, the CLI ({@code run --once}, {@code dlq})
 * or the hub as a service for webhooks. Each subclass names the pair; every scenario runs for each.
 */
abstract class TicketSyncPairTest {

    static final String TENANT = "acme";
    static final String SYNC = "acme-pair";
    static final String LEFT = "acme-left";
    static final String RIGHT = "acme-right";

    @TempDir
    Path home;

    TicketDesk left;
    TicketDesk right;
    E2eHub hub;
    Path config;

    /** The desk on the sync's left side (the MSP's service desk in the usual set-up). */
    abstract TicketDesk newLeft();

    /** The desk on the right side (the customer's tool). */
    abstract TicketDesk newRight();

    @BeforeEach
    void startDesks() {
        left = newLeft();
        right = newRight();
        hub = new E2eHub(home);
        config = configure(0);
    }

    @AfterEach
    void stopDesks() {
        FailingLinkWrite.failNext(0);
        left.close();
        right.close();
    }

    @Test
    void ticketsRaisedOnEitherSideGetOneTwinAndEditsStatusAndCommentsFollowWithTheirVisibility() {
        String l = left.raise("L: mail server slow", "Since 9am");
        String r = right.raise("R: laptop will not boot", "Blue screen");

        cycle();

        String twinOfL = right.only("L: mail server slow");
        String twinOfR = left.only("R: laptop will not boot");
        assertThat(left.idsWithTitle("L: mail server slow")).as("no twin of a twin").containsExactly(l);
        assertThat(right.idsWithTitle("R: laptop will not boot")).containsExactly(r);
        assertThat(audit()).extracting(AuditEntry::action).as("what each system made of the creates is no "
                + "change to send back").containsOnly("create");
        assertQuietCycleWritesNothing();

        left.retitle(l, "L: mail server down");
        right.redescribe(r, "Blue screen after the update");
        cycle();
        assertThat(right.title(twinOfL)).isEqualTo("L: mail server down");
        assertThat(left.description(twinOfR)).contains("Blue screen after the update");

        left.comment(l, "Public from the left", false);
        right.comment(twinOfL, "Internal from the right", true);
        right.comment(r, "Public from the right", false);
        left.comment(twinOfR, "Internal from the left", true);
        cycle();
        assertThat(right.comments(twinOfL)).anySatisfy(c -> {
            assertThat(c.text()).contains("Public from the left");
            assertThat(c.internal()).isFalse();
        });
        assertThat(left.comments(twinOfR)).anySatisfy(c -> {
            assertThat(c.text()).contains("Public from the right");
            assertThat(c.internal()).isFalse();
        });
        assertThat(left.comments(l)).filteredOn(c -> c.text().contains("Internal from the right"))
                .as("an internal comment is copied, and never as a public one").isNotEmpty()
                .allSatisfy(c -> assertThat(c.internal()).isTrue());
        assertThat(right.comments(r)).filteredOn(c -> c.text().contains("Internal from the left"))
                .isNotEmpty().allSatisfy(c -> assertThat(c.internal()).isTrue());

        right.resolve(twinOfL);
        cycle();
        assertThat(left.isResolved(l)).as("resolved on the right, so on the left").isTrue();
        right.reopen(twinOfL);
        cycle();
        assertThat(left.isResolved(l)).as("reopened on the right, so on the left").isFalse();
        left.resolve(twinOfR);
        cycle();
        assertThat(right.isResolved(r)).as("resolved on the left, so on the right").isTrue();
        left.reopen(twinOfR);
        cycle();
        assertThat(right.isResolved(r)).as("reopened on the left, so on the right").isFalse();

        assertQuietCycleWritesNothing();
        assertThat(left.idsWithTitle("R: laptop will not boot")).hasSize(1);
        assertThat(right.idsWithTitle("L: mail server down")).hasSize(1);
    }

    /**
     * Issue 11: each kind of change, synced in one cycle, leaves nothing for the very next cycle to
     * write (in particular the note the hub adds to a status change is not read back as a person's
     * comment), what the customer reads carries no hub marker, and a resolution note reaches the
     * other side.
     */
    @Test
    void everyKindOfChangeSyncedInOneCycleLeavesTheVeryNextCycleNothingToWrite() {
        String l = left.raise("Q: scanner offline", "Floor 1");
        String r = right.raise("Q: headset broken", "Left ear");
        cycle();
        String twinOfL = right.only("Q: scanner offline");
        String twinOfR = left.only("Q: headset broken");
        assertQuietCycleWritesNothing("after the creates");

        changeEveryWay(left, l, right, twinOfL, "left");
        changeEveryWay(right, r, left, twinOfR, "right");
    }

    private void changeEveryWay(TicketDesk from, String id, TicketDesk to, String twin, String side) {
        from.retitle(id, "Q: renamed on the " + side);
        syncedCycle(from, "a title from the " + side);
        assertThat(to.title(twin)).isEqualTo("Q: renamed on the " + side);
        assertQuietCycleWritesNothing("after a title from the " + side);

        from.redescribe(id, "Described again on the " + side);
        syncedCycle(from, "a description from the " + side);
        assertThat(to.description(twin)).contains("Described again on the " + side);
        assertQuietCycleWritesNothing("after a description from the " + side);

        from.makeUrgent(id);
        syncedCycle(from, "a priority from the " + side);
        assertThat(to.isUrgent(twin)).as("priority from the " + side).isTrue();
        assertQuietCycleWritesNothing("after a priority from the " + side);

        from.comment(id, "Public line one from the " + side + "\nline two", false);
        syncedCycle(from, "a public comment from the " + side);
        assertThat(to.comments(twin)).filteredOn(c -> c.text().contains("Public line one from the " + side))
                .singleElement().satisfies(c -> {
                    assertThat(c.internal()).isFalse();
                    assertThat(c.text()).as("what the customer reads").contains("line two").doesNotContain("ih:");
                    assertThat(c.text().indexOf("line two")).isGreaterThan(c.text().indexOf("line one"));
                });
        assertQuietCycleWritesNothing("after a public comment from the " + side);

        from.comment(id, "Internal from the " + side, true);
        syncedCycle(from, "an internal comment from the " + side);
        assertThat(to.comments(twin)).filteredOn(c -> c.text().contains("Internal from the " + side))
                .singleElement().satisfies(c -> assertThat(c.internal()).isTrue());
        assertQuietCycleWritesNothing("after an internal comment from the " + side);

        from.resolve(id);
        syncedCycle(from, "a resolve on the " + side);
        assertThat(to.isResolved(twin)).as("resolved on the " + side).isTrue();
        if (from.resolutionNote() != null) {
            assertThat(to.comments(twin)).as("the resolution note reaches the customer")
                    .anySatisfy(c -> {
                        assertThat(c.text()).startsWith(from.resolutionNote()).doesNotContain("ih:");
                        assertThat(c.internal()).isFalse();
                    });
        }
        assertQuietCycleWritesNothing("after a resolve on the " + side);

        from.reopen(id);
        syncedCycle(from, "a reopen on the " + side);
        assertThat(to.isResolved(twin)).as("reopened on the " + side).isFalse();
        assertQuietCycleWritesNothing("after a reopen on the " + side);
    }

    /** The cycle that syncs a change made on {@code from}: it writes to the other side only. */
    private void syncedCycle(TicketDesk from, String what) {
        left.resetJournal();
        right.resetJournal();
        cycle();
        assertThat(from.writes()).as("nothing written back after " + what).isEmpty();
    }

    @Test
    void aFieldChangedOnBothSidesGoesToTheLatestChangeOrItsOwnerAndTheLosingValueIsAudited() throws Exception {
        config = configure(0, "field-owners: \"description=left\"");
        String l = left.raise("C: VPN drops", "Every hour");
        cycle();
        String twin = right.only("C: VPN drops");

        left.retitle(l, "C: VPN drops hourly (left)");
        left.redescribe(l, "Owner text from the left");
        Thread.sleep(1_100); // vendors keep updated times to the second: the right's edit is clearly later
        right.retitle(twin, "C: VPN drops for everyone (right)");
        right.redescribe(twin, "Later text from the right");
        cycle();

        assertThat(left.title(l)).as("the latest change wins").isEqualTo("C: VPN drops for everyone (right)");
        assertThat(right.title(twin)).isEqualTo("C: VPN drops for everyone (right)");
        assertThat(left.description(l)).as("the owner side wins, though older").contains("Owner text from the left");
        assertThat(right.description(twin)).contains("Owner text from the left");
        List<AuditEntry> conflicts = audit().stream().filter(e -> e.action().equals("conflict")).toList();
        assertThat(conflicts).anySatisfy(e -> {
            assertThat(e.fieldsChanged()).isEqualTo("title");
            assertThat(e.detail()).contains("C: VPN drops hourly (left)");
        });
        assertThat(conflicts).anySatisfy(e -> {
            assertThat(e.fieldsChanged()).isEqualTo("description");
            assertThat(e.detail()).contains("Later text from the right");
        });
        assertQuietCycleWritesNothing();
    }

    @Test
    void aCrashBetweenTwinCreateAndLinkCommitLeavesNoDuplicateAfterTheRestart() throws Exception {
        String l = left.raise("K: badge reader offline", "Door 4");
        try (HubStore store = openStore(); Connection c = store.dataSource().getConnection()) {
            FailingLinkWrite.install(c);
        }
        FailingLinkWrite.failNext(1);

        E2eHub.Run crashed = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(crashed.out()).as(crashed.out() + crashed.err()).contains("FAILED");
        String twin = right.only("K: badge reader offline");
        right.resetJournal();

        cycle(); // the restart

        assertThat(right.idsWithTitle("K: badge reader offline")).as("no duplicate twin").containsExactly(twin);
        assertThat(left.idsWithTitle("K: badge reader offline")).containsExactly(l);
        assertThat(right.writes()).as("the twin is found by its correlation id, not created again")
                .noneMatch(w -> w.startsWith("POST") && !w.contains("comment") && !w.contains("note")
                        && !w.contains("reply"));
        assertThat(audit()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("relink");
            assertThat(e.recordId()).isEqualTo(twin);
        });
        left.retitle(l, "K: badge reader offline since Monday");
        cycle();
        assertThat(right.title(twin)).as("the restored link carries the next change").isEqualTo(
                "K: badge reader offline since Monday");
        assertQuietCycleWritesNothing();
    }

    /**
     * Issue 12: a store restored from a copy taken (with the hub stopped) before some creates. The
     * restored cursor reads those tickets again; their twins are found by correlation id, not
     * created again. One-way from the right, so for Freshdesk and ServiceNow: Freshdesk to ServiceNow.
     */
    @Test
    void aStoreRestoredFromAnOlderCopyDuplicatesNoTwinAndTheNextCycleHasNothingToWrite() throws Exception {
        config = configure(0, "direction: right-to-left");
        List<String> titles = raise(right, "B", 20);
        cycle();
        Path db = home.resolve("data/hub.mv.db");
        Path copy = Files.copy(db, home.resolve("hub-backup.mv.db"));
        titles.addAll(raise(right, "N", 5));
        cycle();
        Files.copy(copy, db, StandardCopyOption.REPLACE_EXISTING);
        left.resetJournal();

        cycle(); // SUCCEEDED, or cycle() fails

        assertOneTwinEach(left, titles);
        assertThat(left.writes()).as("no twin created again").noneMatch(TicketSyncPairTest::isCreate);
        assertThat(audit()).filteredOn(e -> e.action().equals("relink")).as("the 5 links recovered from the vendor")
                .hasSize(5).allSatisfy(e -> assertThat(e.detail()).startsWith("link recovered from " + LEFT));
        assertQuietCycleWritesNothing("after the restore");
    }

    /** Issue 12: the store is deleted after syncing; tickets raised on both sides meanwhile. */
    @Test
    void aDeletedStoreDuplicatesNoTwinAndTheSyncStaysHealthy() throws Exception {
        List<String> fromLeft = raise(left, "LB", 10);
        List<String> fromRight = raise(right, "RB", 10);
        cycle();
        Files.delete(home.resolve("data/hub.mv.db"));
        fromLeft.addAll(raise(left, "LN", 3));
        fromRight.addAll(raise(right, "RN", 2));

        cycle();

        assertOneTwinEach(right, fromLeft);
        assertOneTwinEach(left, fromRight);
        assertOneTwinEach(left, fromLeft);
        assertOneTwinEach(right, fromRight);
        assertQuietCycleWritesNothing("after the store was lost");
        String l = left.only(fromLeft.get(0));
        left.retitle(l, fromLeft.get(0) + " (edited)");
        cycle();
        assertThat(right.idsWithTitle(fromLeft.get(0) + " (edited)")).as("the recovered link carries changes")
                .hasSize(1);
    }

    @Test
    void aTicketTheTargetRefusesIsDeadLetteredWithTheVendorsMessageAndReplayedOnceTheCauseIsFixed() {
        StubMapping refusal = right.refuseCreates();
        String l = left.raise("D: printer toner empty", "Floor 2");
        String ok = left.raise("D: projector bulb", "Room 5");

        E2eHub.Run failed = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(failed.out()).as(failed.out() + failed.err()).contains("PARTIAL");
        assertThat(openLetters()).extracting(DeadLetter::recordRef)
                .containsExactlyInAnyOrder("ticket:" + l, "ticket:" + ok);
        assertThat(openLetters()).extracting(DeadLetter::errorMessage).as("the vendor's own message")
                .allSatisfy(m -> assertThat(m).contains(right.refusalMessage()));
        E2eHub.Run letters = hub.cli("dlq", "list", "--config", config.toString());
        assertThat(letters.out()).contains("2 dead letter(s)");
        assertThat(right.idsWithTitle("D: printer toner empty")).isEmpty();

        right.allowCreates(refusal);
        E2eHub.Run replay = hub.cli("dlq", "replay", "--all", "--config", config.toString());

        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        right.only("D: printer toner empty");
        right.only("D: projector bulb");
        assertThat(openLetters()).isEmpty();
        assertQuietCycleWritesNothing();
        assertThat(right.idsWithTitle("D: printer toner empty")).hasSize(1);
    }

    @Test
    void aTwinThatVanishesWithoutAnyChangeIsReportedByThePeriodicCheckAndNeverRecreated() {
        config = configure(0, "reconcile-every: \"1\"");
        String l = left.raise("V: monitor flickers", "Desk 12");
        cycle();
        String twin = right.only("V: monitor flickers");
        right.hide(twin); // deleted in the customer's tool, or no longer visible to the hub
        left.resetJournal();
        right.resetJournal();

        E2eHub.Run run = hub.cli("run", "--config", config.toString(), "--once"); // nothing changed anywhere

        assertThat(run.out()).as(run.out() + run.err()).containsPattern(SYNC + "\\s+" + TENANT
                + "\\s+ticket-sync\\s+PARTIAL");
        assertThat(audit()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("twin-lost");
            assertThat(e.recordId()).isEqualTo(twin);
            assertThat(e.detail()).contains(l);
        });
        assertThat(openLetters()).extracting(DeadLetter::errorType).containsExactly("TwinLost");
        assertThat(left.writes()).isEmpty();
        assertThat(right.writes()).as("never recreated").isEmpty();
        assertThat(cycle().out()).as("reported once").doesNotContain("PARTIAL");
    }

    @Test
    void aWebhookSyncsThatTicketAtOnceAndADuplicateDeliveryChangesNothing() throws Exception {
        int port = E2eHub.freePort();
        config = configure(port);
        try (HubBootstrap boot = HubBootstrap.load(config, name -> null)) {
            assertThat(boot.result().issues()).isEmpty();
            HubSettings.Store s = boot.result().config().hub().store();
            try (HubStore store = HubStore.open(new StoreSettings(s.url(), s.user(), s.password().reveal()));
                    HubRuntime runtime = new HubRuntime(boot.result().config(), boot.plugins(), store,
                            Clock.systemUTC(), HubRuntime.Mode.SERVE)) {
                runtime.start();
                String l = left.raise("W: shared drive full", "Finance share");
                TicketDesk.WebhookCall call = left.webhook(l);

                assertThat(E2eHub.deliverWebhook(port, TENANT, LEFT, call.body(), call.headers())).isEqualTo(202);
                await().atMost(Duration.ofSeconds(10)).until(() -> right.idsWithTitle("W: shared drive full").size() == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> store.syncRuns().listRecent(TENANT, 10).size() >= 1
                        && store.syncRuns().listRecent(TENANT, 10).get(0).endedAt() != null);

                right.resetJournal();
                left.resetJournal();
                assertThat(E2eHub.deliverWebhook(port, TENANT, LEFT, call.body(), call.headers()))
                        .as("the same delivery again").isEqualTo(202);
                await().atMost(Duration.ofSeconds(10)).until(() -> store.syncRuns().listRecent(TENANT, 10).size() >= 2
                        && store.syncRuns().listRecent(TENANT, 10).get(0).endedAt() != null);

                assertThat(right.idsWithTitle("W: shared drive full")).hasSize(1);
                assertThat(right.writes()).isEmpty();
                assertThat(left.writes()).isEmpty();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Raises {@code n} tickets titled {@code <prefix> ticket <i>} on {@code desk}; returns the titles. */
    static List<String> raise(TicketDesk desk, String prefix, int n) {
        List<String> titles = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String title = prefix + " ticket " + i;
            desk.raise(title, "Raised for the store-loss scenario");
            titles.add(title);
        }
        return titles;
    }

    /** Every title is on {@code desk} exactly once: no twin is missing, none is duplicated. */
    static void assertOneTwinEach(TicketDesk desk, List<String> titles) {
        for (String title : titles) {
            assertThat(desk.idsWithTitle(title)).as(title + " in " + desk.sandbox().vendor()).hasSize(1);
        }
    }

    /** A write that creates a ticket (not a comment, note or reply on one). */
    static boolean isCreate(String write) {
        return write.startsWith("POST") && !write.contains("comment") && !write.contains("note")
                && !write.contains("reply") && !write.contains("transition");
    }

    /** Writes the config: both desks as connections of one tenant and one ticket-sync between them. */
    Path configure(int httpPort, String... syncExtra) {
        String tenants = tenant(TENANT, left.connection(LEFT) + right.connection(RIGHT),
                ticketSync(SYNC, LEFT, RIGHT, syncExtra));
        return httpPort == 0 ? hub.config(tenants) : hub.config(tenants, httpPort);
    }

    E2eHub.Run cycle() {
        E2eHub.Run run = hub.cli("run", "--config", config.toString(), "--once");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).as(run.out()).contains("SUCCEEDED");
        return run;
    }

    /** After a sync with no human change since, a cycle makes no write on either side. */
    void assertQuietCycleWritesNothing() {
        assertQuietCycleWritesNothing("");
    }

    void assertQuietCycleWritesNothing(String when) {
        left.resetJournal();
        right.resetJournal();
        cycle();
        assertThat(left.writes()).as("writes to the left in the quiet cycle " + when).isEmpty();
        assertThat(right.writes()).as("writes to the right in the quiet cycle " + when).isEmpty();
    }

    /** The hub's store as {@link E2eHub#config} writes it, opened while no hub runs. */
    HubStore openStore() {
        return HubStore.open(new StoreSettings("jdbc:h2:file:" + home + "/data/hub", "", ""));
    }

    List<AuditEntry> audit() {
        try (HubStore store = openStore()) {
            return store.auditLog().listByTenant(TENANT, Instant.EPOCH, Instant.now().plusSeconds(60), 1000);
        }
    }

    List<DeadLetter> openLetters() {
        try (HubStore store = openStore()) {
            return store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 100);
        }
    }
}
