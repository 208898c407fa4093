package org.itsmhub.runtime.flow.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.runtime.config.ConnectionConfig;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.config.SecretRedactor;
import org.itsmhub.runtime.config.TenantConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.connection.UnknownConnectionException;
import org.itsmhub.runtime.flow.DeadLetterReplay;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.flow.ticket.FakeTicketSystem.Call;
import org.itsmhub.runtime.store.AuditEntry;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.NewOutboxEntry;
import org.itsmhub.runtime.store.OutboxEntry;
import org.itsmhub.runtime.store.OutboxStatus;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ticket sync between two in-memory ticket systems (MSP desk on the left, customer tool on the right). */
class TicketSyncFlowTest {

    private static final String TENANT = "acme";
    private static final String SYNC = "acme-tickets";

    @TempDir
    Path dir;

    private final FakeTicketSystem desk = new FakeTicketSystem("desk", "acme-desk");
    private final FakeTicketSystem customer = new FakeTicketSystem("tool", "acme-tool");
    private final FakeTicketSystem otherTenants = new FakeTicketSystem("tool", "globex-tool");
    private final TicketSyncFlow flow = new TicketSyncFlow(new ConnectorCalls(new ConnectorCalls.Policy(2,
            Duration.ofMillis(1), 1.0, Duration.ofMillis(5), 100, 50f, Duration.ofSeconds(1))));
    private HubStore store;
    private ConnectionRegistry registry;
    private final Map<String, String> parameters = new LinkedHashMap<>(Map.of(
            "left-connection", "acme-desk", "right-connection", "acme-tool"));

    @BeforeEach
    void open() {
        store = HubStore.open(StoreSettings.h2File(dir.resolve("hub")));
        ConnectorConfig empty = ConnectorConfig.of(new ConfigDef(), Map.of());
        Map<String, ConnectionConfig> acme = new LinkedHashMap<>();
        acme.put("acme-desk", new ConnectionConfig(TENANT, "acme-desk", "desk", Map.of(), empty));
        acme.put("acme-tool", new ConnectionConfig(TENANT, "acme-tool", "tool", Map.of(), empty));
        Map<String, TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put(TENANT, new TenantConfig(TENANT, acme, List.of()));
        tenants.put("globex", new TenantConfig("globex", Map.of("globex-tool",
                new ConnectionConfig("globex", "globex-tool", "tool", Map.of(), empty)), List.of()));
        HubConfig config = new HubConfig(dir.resolve("hub.yaml"), HubSettings.defaults(), tenants,
                new SecretRedactor(List.of()));
        Map<String, FakeTicketSystem> byConnection = Map.of("acme-desk", desk, "acme-tool", customer,
                "globex-tool", otherTenants);
        registry = new ConnectionRegistry(config, plugin -> Optional.of(factory(byConnection)), Clock.systemUTC(),
                ConnectionRegistry.HostServices.none());
    }

    @AfterEach
    void close() {
        registry.close();
        store.close();
    }

    private org.itsmhub.runtime.flow.RecordHints hints = org.itsmhub.runtime.flow.RecordHints.none();

    private SyncContext cycle() {
        return cycle(Clock.systemUTC());
    }

    private SyncContext cycle(Clock clock) {
        SyncContext context = new SyncContext(store.syncRuns().start(TENANT, SYNC), TENANT, SYNC, "ticket-sync",
                parameters, hints, registry, store, clock);
        flow.run(context);
        return context;
    }

    @Test
    void createsTheTwinOnFirstSightWithTheCorrelationIdInTheCreateCall() {
        String id = desk.humanCreates("Printer on fire", TicketStatus.OPEN);

        SyncContext run = cycle();

        assertThat(customer.tickets()).singleElement().satisfies(twin -> {
            assertThat(twin.title()).isEqualTo("Printer on fire");
            assertThat(twin.priority()).isEqualTo(Priority.P3);
            assertThat(twin.assignmentGroup()).isEqualTo("Service Desk");
            assertThat(twin.correlationId()).isEqualTo("ih:acme-tickets:L:" + id);
        });
        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);
        assertThat(customer.calls(Call.FIND_MANY)).as("one lookup for the page before its creates").isEqualTo(1);
        assertThat(customer.calls(Call.FIND)).isZero();
        assertThat(store.outbox().findByKey(TENANT, "ih:acme-tickets:L:" + id)).get()
                .extracting(OutboxEntry::status).isEqualTo(OutboxStatus.DONE);
        assertThat(run.summary().created()).isEqualTo(1);
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 10)).extracting(AuditEntry::action)
                .contains("create");
    }

    @Test
    void theHubsOwnWritesReadBackAreRecognisedAndTheNextCyclesMakeZeroWrites() {
        String id = desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        desk.humanComments(id, "Ann", "Smoke seen", Visibility.PUBLIC);
        cycle();
        desk.resetCalls();
        customer.resetCalls();

        SyncContext echo = cycle(); // reads back the twin the hub created and the comment it copied

        assertThat(customer.calls(Call.READ_PAGE)).isEqualTo(1);
        assertThat(desk.writes() + customer.writes()).isZero();
        assertThat(desk.calls(Call.FETCH) + customer.calls(Call.FETCH)).isZero();
        assertThat(echo.summary().created() + echo.summary().updated() + echo.summary().failed()).isZero();

        desk.resetCalls();
        customer.resetCalls();
        SyncContext quiet = cycle();

        assertThat(desk.writes() + customer.writes()).isZero();
        assertThat(quiet.summary().read()).isZero();
        assertThat(desk.calls(Call.FIND_MANY) + customer.calls(Call.FIND_MANY) + desk.calls(Call.FIND)
                + customer.calls(Call.FIND)).as("linked tickets cost no lookup").isZero();
        assertThat(customer.tickets()).hasSize(1);
        assertThat(desk.tickets()).hasSize(1);
    }

    @Test
    void aNewTicketWithoutCommentsCostsOneCreateAndNoReadBackWhenTheTwinIsReadLaterInTheCycle() {
        desk.humanCreates("Printer on fire", TicketStatus.OPEN);

        cycle();

        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);
        assertThat(customer.calls(Call.FETCH)).as("no read-back after the create").isZero();
        assertThat(desk.calls(Call.READ_COMMENTS)).as("the source's comments, once").isEqualTo(1);
        assertThat(customer.calls(Call.READ_PAGE)).as("the twin is read with the right side's changes").isEqualTo(1);
        assertThat(customer.calls(Call.READ_COMMENTS)).as("an untouched new twin has no comments to read").isZero();
        assertThat(desk.writes()).isZero();
    }

    @Test
    void whatTheTargetMadeOfACreateIsTakenOnItsFirstReadAndNeverSyncedBack() {
        String deskId = desk.humanCreates("Disk almost full", TicketStatus.OPEN);

        cycle(); // the twin starts as NEW, whatever was sent: the tool's own default

        String toolId = customer.tickets().get(0).ref().id();
        assertThat(customer.ticket(toolId).status()).isEqualTo(TicketStatus.NEW);
        assertThat(desk.ticket(deskId).status()).as("not bounced back to the source").isEqualTo(TicketStatus.OPEN);
        assertThat(desk.writes()).isZero();
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", deskId)).get()
                .satisfies(l -> assertThat(l.versionB()).doesNotContain("provisional"));
        desk.resetCalls();
        customer.resetCalls();

        cycle();

        assertThat(desk.writes() + customer.writes()).isZero();
    }

    @Test
    void aTwinCreatedOnTheLeftIsReadBackAtOnceSoAHumanEditBeforeTheNextCycleIsTheOnlyChange() {
        String toolId = customer.humanCreates("Badge reader broken", TicketStatus.OPEN);
        cycle();
        String deskId = desk.tickets().get(0).ref().id();
        assertThat(desk.calls(Call.FETCH)).as("read back: the left is not read again this cycle").isEqualTo(1);

        desk.humanEdits(deskId, b -> b.title("Badge reader broken at door 4"));
        customer.resetCalls();
        cycle();

        assertThat(customer.ticket(toolId).title()).isEqualTo("Badge reader broken at door 4");
        assertThat(customer.ticket(toolId).status()).as("the twin's default status is no human change")
                .isEqualTo(TicketStatus.OPEN);
        assertThat(customer.calls(Call.STATUS)).isZero();
    }

    @Test
    void aTwinOfAResolvedTicketIsCreatedResolvedInOneWriteWhereTheTargetTakesTheStatusInTheCreate() {
        customer.takesStatusesOnCreate(EnumSet.allOf(TicketStatus.class));
        desk.humanCreates("Old printer ticket", TicketStatus.RESOLVED);
        desk.humanCreates("Old scanner ticket", TicketStatus.PENDING);

        cycle();

        assertThat(customer.tickets()).extracting(Ticket::status)
                .containsExactlyInAnyOrder(TicketStatus.RESOLVED, TicketStatus.PENDING);
        assertThat(customer.calls(Call.CREATE)).isEqualTo(2);
        assertThat(customer.writes()).as("no status change after the create").isEqualTo(2);
    }

    @Test
    void withBackLinksTheOriginGetsOneInternalNoteNamingItsTwinWhichIsNeverCopiedAcross() {
        parameters.put("back-link", "comment");
        String deskId = desk.humanCreates("Printer on fire", TicketStatus.OPEN);

        cycle();
        String twinId = customer.tickets().get(0).ref().id();
        desk.resetCalls();
        customer.resetCalls();
        cycle();

        assertThat(desk.commentsOf(deskId)).singleElement().satisfies(c -> {
            assertThat(c.visibility()).isEqualTo(Visibility.INTERNAL);
            assertThat(c.body()).contains(twinId).endsWith("(ih:link)");
        });
        assertThat(customer.commentsOf(twinId)).as("the note stays on the origin").isEmpty();
        assertThat(desk.writes() + customer.writes()).as("the next cycle writes nothing").isZero();
    }

    @Test
    void withoutBackLinksTheOriginIsNotWrittenAtAll() {
        String deskId = desk.humanCreates("Printer on fire", TicketStatus.OPEN);

        cycle();

        assertThat(desk.writes()).isZero();
        assertThat(desk.commentsOf(deskId)).isEmpty();
    }

    @Test
    void whereTheTargetCannotTakeTheStatusInTheCreateItIsMovedThereRightAfter() {
        desk.humanCreates("Old printer ticket", TicketStatus.RESOLVED);

        cycle();

        assertThat(customer.tickets()).singleElement().extracting(Ticket::status).isEqualTo(TicketStatus.RESOLVED);
        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);
        assertThat(customer.calls(Call.STATUS)).isEqualTo(1);
    }

    @Test
    void aOneWaySyncNeitherReadsBackNorTakesTheTargetsDefaultsForAConflict() {
        parameters.put("direction", "left-to-right");
        String deskId = desk.humanCreates("Shared drive slow", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();
        assertThat(customer.calls(Call.FETCH)).isZero();

        desk.humanEdits(deskId, b -> b.status(TicketStatus.RESOLVED));
        customer.humanComments(toolId, "Carol", "Still slow", Visibility.PUBLIC); // touches the twin, later
        cycle();

        assertThat(customer.ticket(toolId).status()).as("the source's change, not a conflict with NEW")
                .isEqualTo(TicketStatus.RESOLVED);
    }

    @Test
    void aCommentCopiedJustBeforeACrashIsNotCopiedTwice() {
        String deskId = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        String commentId = desk.humanComments(deskId, "Ann", "Fans are off", Visibility.INTERNAL);
        store.outbox().enqueue(new NewOutboxEntry(TENANT, SYNC, "acme-tool", "create-ticket",
                "ih:acme-tickets:L:" + deskId, "{}"));
        String twinId = customer.plantTwin(desk.ticket(deskId).toBuilder().ref(null).build(),
                "ih:acme-tickets:L:" + deskId);
        customer.humanComments(twinId, "ITSM Hub", "Fans are off\n\n— Ann, via desk (ih:c:L:" + commentId + ")",
                Visibility.INTERNAL);
        customer.resetCalls();

        cycle();

        assertThat(customer.calls(Call.COMMENT)).isZero();
        assertThat(customer.commentsOf(twinId)).hasSize(1);
    }

    @Test
    void aCopyMadeJustBeforeACrashIsRecognisedByItsInvisibleMarker() {
        String deskId = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        String commentId = desk.humanComments(deskId, "Ann", "Fans are off", Visibility.PUBLIC);
        store.outbox().enqueue(new NewOutboxEntry(TENANT, SYNC, "acme-tool", "create-ticket",
                "ih:acme-tickets:L:" + deskId, "{}"));
        String twinId = customer.plantTwin(desk.ticket(deskId).toBuilder().ref(null).build(),
                "ih:acme-tickets:L:" + deskId);
        customer.humanComments(twinId, "ITSM Hub", CommentCopy.body(desk.commentsOf(deskId).get(0),
                CorrelationIds.Side.LEFT, "desk") + "\n", Visibility.PUBLIC);
        customer.resetCalls();

        cycle();

        assertThat(customer.calls(Call.COMMENT)).isZero();
        assertThat(customer.commentsOf(twinId)).singleElement().satisfies(c -> assertThat(c.body())
                .as("what the customer reads").doesNotContain("ih:").doesNotContain(commentId));
    }

    @Test
    void aCustomersReplyQuotingACopyWithItsInvisibleMarkerIsStillCopiedBack() {
        String deskId = desk.humanCreates("VPN slow", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();
        desk.humanComments(deskId, "Bob", "Please reconnect", Visibility.PUBLIC);
        cycle();
        String copy = customer.commentsOf(toolId).get(0).body();

        customer.humanComments(toolId, "Carol", "Done, it works now.\n\nOn Monday ITSM Hub wrote:\n" + copy,
                Visibility.PUBLIC);
        cycle();

        assertThat(desk.commentsOf(deskId)).extracting(Comment::body)
                .anySatisfy(b -> assertThat(b).startsWith("Done, it works now."));
    }

    @Test
    void aStatusChangeWithTheHubsNoteIsFollowedByACycleThatWritesNothing() {
        customer.writesNotesOnStatusChange();
        String deskId = desk.humanCreates("Toner empty", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();

        desk.humanEdits(deskId, b -> b.status(TicketStatus.RESOLVED));
        cycle();
        assertThat(customer.ticket(toolId).status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(customer.commentsOf(toolId)).singleElement().satisfies(c -> {
            assertThat(c.body()).startsWith("Synced by ITSM Hub from").doesNotContain("ih:");
            assertThat(c.visibility()).isEqualTo(Visibility.INTERNAL);
        });
        desk.resetCalls();
        customer.resetCalls();

        cycle();

        assertThat(desk.commentsOf(deskId)).as("the hub's note is not a person's comment").isEmpty();
        assertThat(desk.writes()).isZero();
        assertThat(customer.writes()).isZero();
    }

    @Test
    void aStatusTheTargetAlreadyShowsInItsOwnTermsIsNotWrittenAndGetsNoNote() {
        customer.writesNotesOnStatusChange();
        customer.showsStatusAs(TicketStatus.IN_PROGRESS, TicketStatus.OPEN);
        customer.showsStatusAs(TicketStatus.NEW, TicketStatus.OPEN);
        String deskId = desk.humanCreates("Laptop order", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();
        customer.resetCalls();

        desk.humanEdits(deskId, b -> b.status(TicketStatus.IN_PROGRESS));
        cycle();
        cycle();

        assertThat(customer.calls(Call.STATUS)).isZero();
        assertThat(customer.commentsOf(toolId)).as("no note on a ticket whose status did not change").isEmpty();
        assertThat(desk.ticket(deskId).status()).as("nothing bounces back").isEqualTo(TicketStatus.IN_PROGRESS);
    }

    @Test
    void aResolutionNoteIsCarriedAcrossForTheCustomerAndNeverComesBack() {
        customer.writesNotesOnStatusChange();
        String deskId = desk.humanCreates("Printer jams", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();

        desk.humanEdits(deskId, b -> b.status(TicketStatus.RESOLVED)
                .attributes(Map.of(Ticket.RESOLUTION_NOTE, "Toner getauscht")));
        cycle();
        assertThat(customer.commentsOf(toolId)).filteredOn(c -> c.visibility() == Visibility.PUBLIC)
                .singleElement().satisfies(c -> assertThat(c.body()).startsWith("Toner getauscht")
                        .doesNotContain("ih:"));
        desk.resetCalls();
        customer.resetCalls();

        cycle();

        assertThat(desk.commentsOf(deskId)).isEmpty();
        assertThat(desk.writes() + customer.writes()).isZero();
    }

    @Test
    void aCustomersReplyQuotingTheResolutionNoteIsCopiedBackThoughItCarriesTheMarker() {
        customer.writesNotesOnStatusChange();
        String deskId = desk.humanCreates("Printer jams again", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();
        desk.humanEdits(deskId, b -> b.status(TicketStatus.RESOLVED)
                .attributes(Map.of(Ticket.RESOLUTION_NOTE, "Toner getauscht")));
        cycle();
        String reply = customer.commentsOf(toolId).stream().filter(c -> c.visibility() == Visibility.PUBLIC)
                .findFirst().orElseThrow().body();

        customer.humanComments(toolId, "Carol", "Still jams.\n\n> " + reply, Visibility.PUBLIC);
        customer.humanComments(toolId, "Dave", reply + "\nand the tray is cracked", Visibility.PUBLIC);
        cycle();

        assertThat(desk.commentsOf(deskId)).extracting(Comment::body)
                .anySatisfy(b -> assertThat(b).startsWith("Still jams."))
                .anySatisfy(b -> assertThat(b).contains("and the tray is cracked"));
    }

    @Test
    void theHubsOwnNotesAreRecognisedHoweverTheVendorReflowsTheirWhiteSpace() {
        String note = CommentCopy.marked("Synced by ITSM Hub from tool:acme-tool:T-1\nline two", CommentCopy.HUB_NOTE);
        String resolution = CommentCopy.marked("Toner getauscht", CommentCopy.RESOLUTION_NOTE);

        assertThat(CommentCopy.isHubText(note)).isTrue();
        assertThat(CommentCopy.isHubText("  " + note.replace("\n", "\n\n ") + "\n")).isTrue();
        assertThat(CommentCopy.isHubText(resolution + "\n\n" + note)).as("both in one private note").isTrue();
        assertThat(CommentCopy.isHubText("Thanks!\n" + resolution)).isFalse();
        assertThat(CommentCopy.isHubText(note + " ok")).isFalse();
        assertThat(note).doesNotContain("ih:");
    }

    @Test
    void aResolutionNoteTheHubWroteIsNotCarriedBack() {
        Ticket resolved = Ticket.builder().title("x").status(TicketStatus.RESOLVED)
                .attributes(Map.of(Ticket.RESOLUTION_NOTE, CommentCopy.marked("Synced by ITSM Hub", CommentCopy.HUB_NOTE)))
                .build();
        Ticket open = resolved.toBuilder().status(TicketStatus.OPEN)
                .attributes(Map.of(Ticket.RESOLUTION_NOTE, "Toner getauscht")).build();

        assertThat(TicketSyncFlow.resolutionNote(resolved)).isNull();
        assertThat(TicketSyncFlow.resolutionNote(open)).as("only a done status carries one").isNull();
    }

    @Test
    void fieldChangesFlowInBothDirections() {
        String deskId = desk.humanCreates("VPN down", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();

        desk.humanEdits(deskId, b -> b.title("VPN down for the whole office"));
        customer.humanEdits(toolId, b -> b.priority(Priority.P1));
        cycle();

        assertThat(customer.ticket(toolId).title()).isEqualTo("VPN down for the whole office");
        assertThat(desk.ticket(deskId).priority()).isEqualTo(Priority.P1);
        assertThat(customer.ticket(toolId).priority()).isEqualTo(Priority.P1);
    }

    @Test
    void statusRoundTripsToResolvedAndBackToOpen() {
        String deskId = desk.humanCreates("Mailbox full", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();

        customer.humanEdits(toolId, b -> b.status(TicketStatus.RESOLVED));
        cycle();
        assertThat(desk.ticket(deskId).status()).isEqualTo(TicketStatus.RESOLVED);

        desk.humanEdits(deskId, b -> b.status(TicketStatus.OPEN));
        cycle();
        assertThat(customer.ticket(toolId).status()).isEqualTo(TicketStatus.OPEN);
    }

    @Test
    void commentsKeepTheirVisibilityAndAuthorAndAreNeverCopiedBack() {
        String deskId = desk.humanCreates("Laptop stolen", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();

        desk.humanComments(deskId, "Bob (MSP)", "Remote wipe started", Visibility.INTERNAL);
        customer.humanComments(toolId, "Carol (customer)", "It was in the car", Visibility.PUBLIC);
        cycle();
        cycle();

        assertThat(customer.commentsOf(toolId)).hasSize(2).anySatisfy(c -> {
            assertThat(c.visibility()).isEqualTo(Visibility.INTERNAL);
            assertThat(c.body()).startsWith("Remote wipe started").contains("Bob (MSP), via desk");
        });
        assertThat(desk.commentsOf(deskId)).hasSize(2).anySatisfy(c -> {
            assertThat(c.visibility()).isEqualTo(Visibility.PUBLIC);
            assertThat(c.body()).startsWith("It was in the car").contains("Carol (customer), via tool");
        });
    }

    @Test
    void aConflictGoesToTheLatestChangeAndTheLosingValueIsAudited() {
        String deskId = desk.humanCreates("Slow network", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();

        desk.humanEdits(deskId, b -> b.title("Slow network (desk wording)"));
        customer.humanEdits(toolId, b -> b.title("Slow network (customer wording)")); // later

        cycle();

        assertThat(desk.ticket(deskId).title()).isEqualTo("Slow network (customer wording)");
        assertThat(customer.ticket(toolId).title()).isEqualTo("Slow network (customer wording)");
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 50)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("conflict");
            assertThat(e.detail()).contains("discarded 'Slow network (desk wording)'");
        });
    }

    @Test
    void aFieldOwnerWinsItsConflictsWhateverTheTimes() {
        parameters.put("field-owners", "title=left");
        String deskId = desk.humanCreates("Slow network", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();

        desk.humanEdits(deskId, b -> b.title("Desk owns titles"));
        customer.humanEdits(toolId, b -> b.title("Customer tried")); // later, but not the owner

        cycle();

        assertThat(customer.ticket(toolId).title()).isEqualTo("Desk owns titles");
    }

    @Test
    void aTwinCreatedJustBeforeACrashIsFoundByCorrelationIdNotCreatedAgain() {
        String deskId = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        String correlationId = "ih:acme-tickets:L:" + deskId;
        // the state a crash after the create call leaves: the intent recorded, the twin created, no link
        store.outbox().enqueue(new NewOutboxEntry(TENANT, SYNC, "acme-tool", "create-ticket", correlationId, "{}"));
        customer.plantTwin(desk.ticket(deskId).toBuilder().ref(null).build(), correlationId);
        customer.resetCalls();

        cycle();

        assertThat(customer.tickets()).hasSize(1);
        assertThat(customer.calls(Call.FIND_MANY)).isEqualTo(1);
        assertThat(customer.calls(Call.CREATE)).isZero();
        assertThat(store.outbox().findByKey(TENANT, correlationId)).get()
                .extracting(OutboxEntry::status).isEqualTo(OutboxStatus.DONE);
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", deskId)).isPresent();
    }

    @Test
    void ourOwnTwinReadBeforeItsLinkWasStoredIsRelinkedNotSyncedBack() {
        String deskId = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        parameters.put("direction", "right-to-left"); // read only the customer side first
        String twinId = customer.plantTwin(desk.ticket(deskId).toBuilder().ref(null).build(),
                "ih:acme-tickets:L:" + deskId);

        cycle();

        assertThat(desk.tickets()).hasSize(1);
        assertThat(store.links().findBySideB(TENANT, SYNC, "acme-tool", twinId)).isPresent();
    }

    @Test
    void aTicketThatCannotBeWrittenIsDeadLetteredWhileOthersKeepFlowing() {
        customer.rejectCreatesWhere(t -> t.title().contains("bad"));
        desk.humanCreates("a bad one", TicketStatus.OPEN);
        desk.humanCreates("a good one", TicketStatus.OPEN);

        SyncContext run = cycle();

        assertThat(customer.tickets()).extracting(Ticket::title).containsExactly("a good one");
        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement()
                .satisfies(d -> assertThat(d.errorMessage()).contains("requester is required"));
    }

    @Test
    void aDeadLetterWhoseTicketSyncsInALaterCycleIsResolvedAndTheAuditLogNamesThatRun() {
        customer.rejectCreatesWhere(t -> true);
        String id = desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        cycle();
        DeadLetter letter = store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10).get(0);
        customer.rejectCreatesWhere(t -> false);
        desk.humanEdits(id, b -> b.title("Printer on fire, 2nd floor"));

        SyncContext run = cycle();

        assertThat(run.summary().created()).isEqualTo(1);
        assertThat(store.deadLetters().get(letter.id())).hasValueSatisfying(l -> {
            assertThat(l.status()).isEqualTo(DeadLetterStatus.RESOLVED);
            assertThat(l.resolvedAt()).isNotNull();
        });
        assertThat(store.auditLog().listByRecord(TENANT, "acme-desk", id, 10))
                .filteredOn(e -> e.action().equals("dead-letter-resolved")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("dead letter " + letter.id())
                        .contains("run " + run.runId()).contains("requester is required"));
        assertThat(cycle().summary().failed()).isZero();
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 50)).as("resolved once")
                .filteredOn(e -> e.action().equals("dead-letter-resolved")).hasSize(1);
    }

    @Test
    void aDeadLetterStaysOpenWhileItsTicketKeepsFailing() {
        customer.rejectCreatesWhere(t -> true);
        String id = desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        cycle();
        desk.humanEdits(id, b -> b.title("Printer on fire, 2nd floor"));

        cycle();

        assertThat(store.deadLetters().list(TENANT, null, 10)).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo(DeadLetterStatus.OPEN);
            assertThat(l.attempts()).isEqualTo(2);
        });
    }

    @Test
    void aTwinLostLetterStaysOpenWhenItsTicketIsReadWithoutItsTwin() {
        parameters.put("reconcile-every", "1");
        String deskId = desk.humanCreates("Phone broken", TicketStatus.OPEN);
        cycle();
        customer.humanDeletes(customer.tickets().get(0).ref().id());
        cycle(); // the periodic check reports the lost twin: a letter on the desk ticket
        parameters.put("reconcile-every", "0");

        desk.humanEdits(deskId, b -> b.title("Phone broken")); // touched, but no synced field changed
        cycle();

        assertThat(store.deadLetters().list(TENANT, null, 10)).singleElement()
                .satisfies(l -> assertThat(l.status()).isEqualTo(DeadLetterStatus.OPEN));
    }

    @Test
    void aReplayLeavesItsLetterToTheReplayToClose() {
        customer.rejectCreatesWhere(t -> true);
        String id = desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        cycle();
        customer.rejectCreatesWhere(t -> false);
        hints = new org.itsmhub.runtime.flow.RecordHints("acme-desk", List.of(new org.itsmhub.api.connector.ChangeHint(
                org.itsmhub.api.connector.ChangeHint.Kind.TICKET, id, DeadLetterReplay.REPLAY_EVENT, null)));

        assertThat(cycle().summary().created()).isEqualTo(1);

        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).as("DeadLetterReplay marks it replayed")
                .hasSize(1);
    }

    @Test
    void aTwinThatVanishedIsReportedAndNotRecreated() {
        String deskId = desk.humanCreates("Phone broken", TicketStatus.OPEN);
        cycle();
        customer.humanDeletes(customer.tickets().get(0).ref().id());

        desk.humanEdits(deskId, b -> b.title("Phone broken again"));
        SyncContext run = cycle();

        assertThat(customer.tickets()).isEmpty();
        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 50)).extracting(AuditEntry::action)
                .contains("twin-lost");
    }

    @Test
    void aTwinThatVanishesWithoutAnyChangeIsFoundByThePeriodicCheckReportedOnceAndNotRecreated() {
        parameters.put("reconcile-every", "1");
        String deskId = desk.humanCreates("Phone broken", TicketStatus.OPEN);
        cycle();
        String toolId = customer.tickets().get(0).ref().id();
        customer.humanDeletes(toolId);
        desk.resetCalls();
        customer.resetCalls();

        SyncContext run = cycle(); // nothing changed on either side

        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(customer.tickets()).as("never recreated").isEmpty();
        assertThat(desk.writes() + customer.writes()).isZero();
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", toolId, 10))
                .filteredOn(e -> e.action().equals("twin-lost")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("acme-desk/" + deskId).contains("vanished"));
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement()
                .satisfies(l -> assertThat(l.errorType()).isEqualTo("TwinLost"));

        assertThat(cycle().summary().failed()).as("reported once, not every round").isZero();
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", toolId, 10))
                .filteredOn(e -> e.action().equals("twin-lost")).hasSize(1);
    }

    @Test
    void thePeriodicCheckReadsOneBatchEveryNCyclesAndComesRoundToEveryPair() {
        parameters.put("reconcile-every", "2");
        parameters.put("reconcile-batch", "1");
        desk.humanCreates("First", TicketStatus.OPEN);
        desk.humanCreates("Second", TicketStatus.OPEN);
        cycle(); // creates both twins; the first of two cycles
        customer.humanDeletes(customer.tickets().get(1).ref().id());
        desk.resetCalls();
        customer.resetCalls();

        SyncContext second = cycle();
        assertThat(desk.calls(Call.FETCH) + customer.calls(Call.FETCH)).as("one pair, both sides").isEqualTo(2);
        assertThat(second.summary().failed()).isZero();

        desk.resetCalls();
        customer.resetCalls();
        cycle();
        assertThat(desk.calls(Call.FETCH) + customer.calls(Call.FETCH)).as("not due").isZero();

        SyncContext fourth = cycle();
        assertThat(fourth.summary().failed()).as("the second pair's turn").isEqualTo(1);
    }

    @Test
    void aReconcileParameterThatIsNoWholeNumberIsRefused() {
        parameters.put("reconcile-every", "often");
        desk.humanCreates("Phone broken", TicketStatus.OPEN);

        assertThatThrownBy(this::cycle).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconcile-every");
    }

    @Test
    void aOneWaySyncNeverWritesToItsSource() {
        parameters.put("direction", "left-to-right");
        String deskId = desk.humanCreates("Printer jam", TicketStatus.OPEN);
        cycle();
        customer.humanEdits(customer.tickets().get(0).ref().id(), b -> b.title("renamed by customer"));
        desk.humanEdits(deskId, b -> b.description("more detail"));
        desk.resetCalls();

        cycle();

        assertThat(desk.writes()).isZero();
        assertThat(desk.ticket(deskId).title()).isEqualTo("Printer jam");
    }

    @Test
    void aWebhookHintSyncsJustThatTicketAndADuplicateDeliveryChangesNothing() {
        String first = desk.humanCreates("First", TicketStatus.OPEN);
        desk.humanCreates("Second", TicketStatus.OPEN);
        hints = new org.itsmhub.runtime.flow.RecordHints("acme-desk", List.of(
                new org.itsmhub.api.connector.ChangeHint(org.itsmhub.api.connector.ChangeHint.Kind.TICKET, first,
                        "updated", null)));

        cycle();
        cycle(); // the same delivery again

        assertThat(customer.tickets()).extracting(Ticket::title).containsExactly("First");
        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);
        assertThat(desk.calls(Call.READ_PAGE)).isZero();
    }

    @Test
    void aSyncCannotReachAnotherTenantsConnection() {
        parameters.put("right-connection", "globex-tool");
        desk.humanCreates("Secret acme ticket", TicketStatus.OPEN);

        assertThatThrownBy(this::cycle).isInstanceOf(UnknownConnectionException.class)
                .hasMessageContaining("tenant 'acme' has no connection 'globex-tool'");
        assertThat(otherTenants.tickets()).isEmpty();
    }

    // --- a lost or restored store, a create retried after a timeout, two tickets with one correlation id (issue 12)

    @Test
    void aLostStoreFindsEveryTwinWithOneLookupPerPageAndCreatesNone() {
        parameters.put("page-size", "2");
        desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        desk.humanCreates("Disk almost full", TicketStatus.OPEN);
        desk.humanCreates("VPN drops", TicketStatus.OPEN);
        customer.humanCreates("Badge reader broken", TicketStatus.OPEN);
        cycle();
        assertThat(desk.tickets()).hasSize(4);
        assertThat(customer.tickets()).hasSize(4);
        loseTheStore();
        desk.resetCalls();
        customer.resetCalls();

        SyncContext run = cycle(); // every ticket is read again: no cursor, no link

        assertThat(desk.tickets()).hasSize(4);
        assertThat(customer.tickets()).hasSize(4);
        assertThat(desk.calls(Call.CREATE) + customer.calls(Call.CREATE)).isZero();
        assertThat(customer.calls(Call.FIND_MANY)).as("desk pages [3 originals + 1 twin] by 2: one lookup each")
                .isEqualTo(2);
        assertThat(customer.calls(Call.FIND)).isZero();
        assertThat(desk.calls(Call.FIND_MANY)).as("the customer's original was relinked from its twin").isZero();
        assertThat(desk.writes() + customer.writes()).as("every pair was in step").isZero();
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 100)).filteredOn(e -> e.action().equals("relink"))
                .hasSize(4).allSatisfy(e -> assertThat(e.detail()).startsWith("link recovered from"));
        assertThat(run.summary().failed()).isZero();
        assertThat(run.summary().addsUp()).isTrue();
        desk.resetCalls();
        customer.resetCalls();

        cycle();

        assertThat(desk.writes() + customer.writes()).isZero();
        assertThat(desk.calls(Call.FIND_MANY) + customer.calls(Call.FIND_MANY)).isZero();
    }

    @Test
    void aStoreRestoredFromBeforeSomeCreatesFindsTheirTwinsAndTheNextCycleWritesNothing() throws Exception {
        String first = desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        cycle();
        store.close();
        Path copy = Files.copy(dir.resolve("hub.mv.db"), dir.resolve("backup.mv.db"));
        store = HubStore.open(StoreSettings.h2File(dir.resolve("hub")));
        String later = desk.humanCreates("Disk almost full", TicketStatus.IN_PROGRESS);
        desk.humanEdits(first, b -> b.title("Printer on fire, floor 2"));
        cycle();
        String twin = customer.tickets().get(1).ref().id();
        store.close();
        Files.copy(copy, dir.resolve("hub.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        store = HubStore.open(StoreSettings.h2File(dir.resolve("hub")));
        desk.resetCalls();
        customer.resetCalls();

        SyncContext run = cycle();

        assertThat(customer.tickets()).extracting(Ticket::title)
                .containsExactly("Printer on fire, floor 2", "Disk almost full");
        assertThat(customer.calls(Call.CREATE)).isZero();
        assertThat(desk.writes() + customer.writes()).as("a change synced after the copy is found in step")
                .isZero();
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", later)).get()
                .satisfies(l -> assertThat(l.sideB().recordId()).isEqualTo(twin));
        assertThat(run.summary().failed()).isZero();
        desk.resetCalls();
        customer.resetCalls();

        cycle();

        assertThat(desk.writes() + customer.writes()).isZero();
    }

    @Test
    void aTicketChangedAfterTheBackupIsWrittenToItsRecoveredTwin() {
        String id = desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        cycle();
        loseTheStore();
        desk.humanEdits(id, b -> b.title("Printer on fire, floor 2"));

        cycle();

        assertThat(customer.tickets()).singleElement()
                .satisfies(t -> assertThat(t.title()).isEqualTo("Printer on fire, floor 2"));
        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);
    }

    @Test
    void aCreateThatTimedOutAfterCreatingTheTwinIsRetriedAsALookupAndTheTwinIsAdopted() {
        String id = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        customer.timeOutAfterNextCreates(1);

        SyncContext run = cycle();

        assertThat(customer.tickets()).as("no second twin").singleElement()
                .satisfies(t -> assertThat(t.correlationId()).isEqualTo("ih:acme-tickets:L:" + id));
        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);
        String twin = customer.tickets().get(0).ref().id();
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", id)).get()
                .satisfies(l -> assertThat(l.sideB().recordId()).isEqualTo(twin));
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", twin, 10)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("relink");
            assertThat(e.detail()).contains("create attempt that failed").contains("timeout");
        });
        assertThat(store.outbox().findByKey(TENANT, "ih:acme-tickets:L:" + id)).get()
                .extracting(OutboxEntry::status).isEqualTo(OutboxStatus.DONE);
        assertThat(run.summary().failed()).isZero();
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).isEmpty();
        desk.resetCalls();
        customer.resetCalls();
        cycle();
        assertThat(desk.writes() + customer.writes()).isZero();
    }

    @Test
    void aCreateThatTimedOutIsNotRepeatedWhileTheTargetsSearchLagsAndItsTwinIsAdoptedOnceItShows() {
        parameters.put("direction", "left-to-right"); // the twin is never read on its own side
        String id = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        String correlationId = "ih:acme-tickets:L:" + id;
        customer.timeOutAfterNextCreates(1);
        customer.searchLagsBy(4); // like Freshdesk search or Jira JQL a few seconds after the create

        SyncContext first = cycle();

        assertThat(customer.tickets()).as("no second create in the cycle of the timeout").hasSize(1);
        assertThat(first.summary().skipped()).isEqualTo(1);
        assertThat(first.summary().failed()).isZero();
        assertThat(first.summary().addsUp()).isTrue();
        assertThat(store.outbox().findByKey(TENANT, correlationId)).get().satisfies(e -> {
            assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
            assertThat(e.attempts()).isEqualTo(1);
        });
        for (int i = 0; i < 6 && store.links().findBySideA(TENANT, SYNC, "acme-desk", id).isEmpty(); i++) {
            cycle();
            assertThat(customer.tickets()).as("cycle %d", i + 2).hasSize(1);
        }

        String twin = customer.tickets().get(0).ref().id();
        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", id)).get()
                .satisfies(l -> assertThat(l.sideB().recordId()).isEqualTo(twin));
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", twin, 10)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("relink");
            assertThat(e.detail()).contains("outcome was unknown");
        });
        assertThat(store.outbox().findByKey(TENANT, correlationId)).get()
                .extracting(OutboxEntry::status).isEqualTo(OutboxStatus.DONE);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).isEmpty();
        customer.resetCalls();
        cycle();
        assertThat(customer.calls(Call.FIND_MANY) + customer.calls(Call.FIND) + customer.writes())
                .as("nothing left to look up").isZero();
    }

    @Test
    void aCreateThatTimedOutBeforeTheVendorCreatedAnythingIsMadeOnceTheLookupWindowHasPassed() {
        parameters.put("direction", "left-to-right");
        String id = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        customer.timeOutBeforeNextCreates(1);

        cycle();
        cycle();

        assertThat(customer.tickets()).as("still only looked up within the window").isEmpty();
        assertThat(customer.calls(Call.CREATE)).isEqualTo(1);

        SyncContext later = cycle(Clock.offset(Clock.systemUTC(),
                TicketSyncFlow.UNCERTAIN_CREATE_LOOKUPS.plusMinutes(1)));

        assertThat(customer.tickets()).singleElement()
                .satisfies(t -> assertThat(t.correlationId()).isEqualTo("ih:acme-tickets:L:" + id));
        assertThat(later.summary().created()).isEqualTo(1);
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", id)).isPresent();
        assertThat(store.outbox().findByKey(TENANT, "ih:acme-tickets:L:" + id)).get()
                .extracting(OutboxEntry::status).isEqualTo(OutboxStatus.DONE);
    }

    @Test
    void aCreateTheVendorRejectedIsNotUncertainAndIsMadeAsSoonAsTheTicketIsFixed() {
        parameters.put("direction", "left-to-right");
        String id = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        customer.rejectCreatesWhere(t -> t.title().equals("Server room hot"));
        SyncContext first = cycle();
        assertThat(first.summary().failed()).isEqualTo(1);
        customer.rejectCreatesWhere(t -> false);
        desk.humanEdits(id, b -> b.title("Server room hot, 35 degrees"));

        cycle();

        assertThat(customer.tickets()).singleElement()
                .satisfies(t -> assertThat(t.title()).isEqualTo("Server room hot, 35 degrees"));
    }

    @Test
    void aSecondTicketWithTheSameCorrelationIdIsReportedOnceAsADuplicateAndTheSyncGoesOn() {
        String id = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        cycle();
        String twin = customer.tickets().get(0).ref().id();
        // what a create retried without a lookup left behind (a frozen node, an old release)
        String duplicate = customer.plantTwin(desk.ticket(id).toBuilder().ref(null).build(), "ih:acme-tickets:L:" + id);
        String other = desk.humanCreates("Printer jam", TicketStatus.OPEN);

        SyncContext run = cycle();

        assertThat(run.summary().failed()).isZero();
        assertThat(customer.tickets()).extracting(Ticket::title).as("the other ticket still flows")
                .contains("Printer jam");
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", id)).get()
                .satisfies(l -> assertThat(l.sideB().recordId()).as("the older twin keeps its link").isEqualTo(twin));
        assertThat(store.links().findBySideB(TENANT, SYNC, "acme-tool", duplicate)).isEmpty();
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", duplicate, 10)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("duplicate-twin");
            assertThat(e.detail()).contains(twin);
        });
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", other)).isPresent();

        customer.humanEdits(duplicate, b -> b.description("Edited on the duplicate"));
        cycle();
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", duplicate, 10)).as("reported once")
                .hasSize(1);
        desk.humanEdits(id, b -> b.title("Server room hot, 35 degrees"));
        cycle();
        assertThat(customer.ticket(twin).title()).isEqualTo("Server room hot, 35 degrees");
    }

    @Test
    void aLinkToTheYoungerOfTwoTicketsWithOneCorrelationIdIsRepairedToTheOlderAndAudited() {
        String id = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        cycle();
        String older = customer.tickets().get(0).ref().id();
        String younger = customer.plantTwin(desk.ticket(id).toBuilder().ref(null).build(), "ih:acme-tickets:L:" + id);
        // the store linked the younger one (the answer of a create retried on another node)
        store.links().replace(new org.itsmhub.runtime.store.NewLink(TENANT, SYNC,
                org.itsmhub.runtime.store.RecordKind.TICKET,
                new org.itsmhub.runtime.store.RecordRef("desk", "acme-desk", id, null),
                new org.itsmhub.runtime.store.RecordRef("tool", "acme-tool", younger, null),
                "ih:acme-tickets:L:" + id, FieldSnapshot.of(desk.ticket(id)).format(),
                FieldSnapshot.of(customer.ticket(younger)).format()));
        customer.humanEdits(older, b -> b.description("Edited on the older twin"));

        SyncContext run = cycle();

        assertThat(run.summary().failed()).isZero();
        assertThat(store.links().findBySideA(TENANT, SYNC, "acme-desk", id)).get()
                .satisfies(l -> assertThat(l.sideB().recordId()).isEqualTo(older));
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", older, 10)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("link-repaired");
            assertThat(e.detail()).contains(younger);
        });
        assertThat(store.auditLog().listByRecord(TENANT, "acme-tool", younger, 10)).extracting(AuditEntry::action)
                .contains("duplicate-twin");
        assertThat(desk.ticket(id).description()).as("the pair is synced at once")
                .isEqualTo("Edited on the older twin");
        assertThat(customer.tickets()).hasSize(2);
    }

    @Test
    void twoTicketsWithOneCorrelationIdThatTheVendorCannotTellApartAreDeadLetteredAndTheRestSyncs() {
        String id = desk.humanCreates("Server room hot", TicketStatus.OPEN);
        cycle();
        String duplicate = customer.plantTwin(desk.ticket(id).toBuilder().ref(null).build(), "ih:acme-tickets:L:" + id);
        customer.findNothingByCorrelationId();
        desk.humanCreates("Printer jam", TicketStatus.OPEN);

        SyncContext run = cycle();

        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement().satisfies(d -> {
            assertThat(d.recordRef()).isEqualTo("ticket:" + duplicate);
            assertThat(d.errorType()).isEqualTo("StoreConflictException");
            assertThat(d.errorMessage()).contains("cannot be decided");
        });
        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(customer.tickets()).extracting(Ticket::title).contains("Printer jam");
        assertThat(run.summary().addsUp()).isTrue();
    }

    @Test
    void aTicketWhoseTwinCannotBeLookedUpIsDeadLetteredNotCreatedBlindly() {
        desk.humanCreates("Server room hot", TicketStatus.OPEN);
        customer.failLookups();

        SyncContext run = cycle();

        assertThat(customer.calls(Call.CREATE)).isZero();
        assertThat(customer.calls(Call.FIND_MANY))
                .as("the page's lookup and the ticket's own, each tried twice (the test's retry policy)").isEqualTo(4);
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement()
                .satisfies(d -> assertThat(d.errorMessage()).contains("search failed"));
        assertThat(run.summary().failed()).isEqualTo(1);
    }

    /** The store is gone (a new data folder): no links, no cursors, no outbox. */
    private void loseTheStore() {
        store.close();
        store = HubStore.open(StoreSettings.h2File(dir.resolve("fresh")));
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


    @Test
    void aRecordTheSourceCannotReadIsDeadLetteredWithItsRawBodyWhileTheRestOfThePageSyncs() {
        desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        desk.humanCreates("VPN down", TicketStatus.OPEN);
        String huge = "{\"id\":13,\"subject\":\"" + "x".repeat(100_000) + "\"}";
        desk.cannotRead(org.itsmhub.api.connector.RejectedRecord.of("12", "Freshdesk ticket lacks updated_at",
                "{\"id\":12}"), org.itsmhub.api.connector.RejectedRecord.of("13", "field 'subject' is too long", huge),
                org.itsmhub.api.connector.RejectedRecord.of(null, "the element is null, not a record", null));

        SyncContext run = cycle();

        assertThat(customer.tickets()).extracting(Ticket::title).containsExactlyInAnyOrder("Printer on fire", "VPN down");
        assertThat(run.summary().read()).as("2 tickets and 3 rejected on the desk, 2 twins read back").isEqualTo(7);
        assertThat(run.summary().failed()).isEqualTo(3);
        assertThat(run.summary().addsUp()).isTrue();
        List<DeadLetter> letters = store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10);
        assertThat(letters).extracting(DeadLetter::recordRef)
                .containsExactlyInAnyOrder("ticket:12", "ticket:13", "ticket:unidentified-74234e98afe7498f");
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.connectionId()).isEqualTo("acme-desk");
            assertThat(l.errorType()).isEqualTo("RejectedRecord");
        });
        assertThat(letters).filteredOn(l -> l.recordRef().equals("ticket:12")).singleElement().satisfies(l -> {
            assertThat(l.payload()).isEqualTo("{\"id\":12}");
            assertThat(l.errorMessage()).isEqualTo("rejected on read: Freshdesk ticket lacks updated_at (raw record 9 bytes)");
        });
        assertThat(letters).filteredOn(l -> l.recordRef().equals("ticket:13")).singleElement().satisfies(l -> {
            assertThat(l.payload()).hasSize(64 * 1024);
            assertThat(l.errorMessage()).endsWith("(raw record " + huge.length() + " bytes, the first 65536 kept)");
        });
        assertThat(store.cursors().get(TENANT, "acme-desk", "ticket-sync:" + SYNC)).isPresent();
    }

    @Test
    void aRejectedRecordReadAgainUnchangedIsNotDeadLetteredAgain() {
        desk.humanCreates("Printer on fire", TicketStatus.OPEN);
        org.itsmhub.api.connector.RejectedRecord poison = org.itsmhub.api.connector.RejectedRecord.of("77",
                "bad date 'yesterday'", "{\"id\":77}");
        desk.cannotRead(poison);
        cycle();
        desk.cannotRead(poison); // read again: an overlapping window

        SyncContext again = cycle();

        assertThat(store.deadLetters().list(TENANT, null, 10)).singleElement().satisfies(l -> {
            assertThat(l.attempts()).isEqualTo(1);
            assertThat(l.recordRef()).isEqualTo("ticket:77");
            assertThat(l.status()).isEqualTo(DeadLetterStatus.OPEN);
        });
        assertThat(again.summary().failed()).as("known, not a new failure").isZero();
        assertThat(again.summary().skipped()).isEqualTo(1);
        assertThat(again.summary().addsUp()).isTrue();
    }
}
