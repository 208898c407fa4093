package org.itsmhub.runtime.flow.ticket;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.ExchangeProperty;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.flow.OpenDeadLetters;
import org.itsmhub.runtime.flow.RejectedRecords;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.flow.ticket.CorrelationIds.Origin;
import org.itsmhub.runtime.flow.ticket.CorrelationIds.Side;
import org.itsmhub.runtime.store.AuditEntry;
import org.itsmhub.runtime.store.Link;
import org.itsmhub.runtime.store.NewAuditEntry;
import org.itsmhub.runtime.store.NewDeadLetter;
import org.itsmhub.runtime.store.NewLink;
import org.itsmhub.runtime.store.NewOutboxEntry;
import org.itsmhub.runtime.store.OutboxEntry;
import org.itsmhub.runtime.store.OutboxStatus;
import org.itsmhub.runtime.store.RecordKind;
import org.itsmhub.runtime.store.RecordRef;
import org.itsmhub.runtime.store.StoreConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code ticket-sync} flow: keeps the tickets of two ticket systems of one tenant
 * in step (see {@code routes/ticket-sync.yaml} for the parameters).
 *
 * <p>For each side it reads, it reads the tickets changed since that side's stored cursor, page by
 * page, and for each ticket:
 * <ul>
 *   <li><b>no link yet</b>: if the ticket is this sync's own twin (its correlation id names a record
 *       of the other side) the link is restored. Otherwise its twin is looked up by correlation id,
 *       in one lookup for all such tickets of the page: a twin found (a lost or restored store, a
 *       crash between "created" and "link stored") gets its link back and the pair is synced as an
 *       update. Only then is the intent to create recorded in the outbox (idempotency key =
 *       correlation id) and the twin created with the correlation id inside the create call; a
 *       retry of a create that failed retriably looks for the twin first, and a create whose
 *       outcome is unknown (a timeout) is not made again while the target's search may lag
 *       ({@link #UNCERTAIN_CREATE_LOOKUPS}): later cycles look the twin up again. Two tickets with one
 *       correlation id are settled by the vendor (the oldest is the twin), never by failing the
 *       cycle. A twin that gets no comments is not read back when its side is read later in
 *       the cycle or never: its snapshot is what was sent, provisional until that first read;</li>
 *   <li><b>linked</b>: the fields a human changed since the last sync are found by comparing the
 *       ticket with its side's {@link FieldSnapshot}. A ticket that matches its snapshot and has no
 *       new comments (for example the hub's own write read back) costs no further call, so the hub
 *       never echoes its own changes. Otherwise the twin is read once; a field changed on both sides
 *       is a conflict, decided by the field's owner side if configured, else by the latest change,
 *       and the losing value goes to the audit log;</li>
 *   <li><b>comments</b> are copied with their visibility (an internal note stays internal) and an
 *       attribution line whose marker lets the hub recognise its copies.</li>
 * </ul>
 * Every write goes to the audit log. A ticket that cannot be written is dead-lettered with the
 * vendor's message while the others keep flowing; a twin that vanished or became unreadable is
 * reported, never silently recreated, whether the hub notices it when syncing a change or in the
 * periodic check of linked pairs ({@code reconcile-every}, {@code reconcile-batch}). The cursor is
 * stored after each page, so a restart resumes there.
 */
public final class TicketSyncFlow {

    /** The name route templates use to call this bean. */
    public static final String BEAN_NAME = "ticketSync";

    private static final Logger LOG = LoggerFactory.getLogger(TicketSyncFlow.class);
    private static final int MAX_PAGES_PER_CYCLE = 1000;
    /** Correlation ids per lookup, as {@link TicketSink#findByCorrelationIds} promises its connectors. */
    private static final int MAX_LOOKUP = 100;
    private static final String COMMENT_PREFIX = "comment:";
    /** How long after its creation a twin's changes still count as part of the hub's create. */
    static final Duration CREATE_SETTLING = Duration.ofSeconds(5);
    /**
     * How long after a create whose outcome is unknown (a timeout, a lost connection) its twin is
     * only looked up, never created again: vendor search indexes (Freshdesk search, Jira JQL) may
     * not show a ticket created seconds ago. After this the create is taken as never made.
     */
    static final Duration UNCERTAIN_CREATE_LOOKUPS = Duration.ofMinutes(15);
    private static final String CREATE_TICKET = "create-ticket";
    private static final String UNCERTAIN = "made by a create whose outcome was unknown";

    private static final Person HUB = new Person(null, "ITSM Hub", null);

    private final ConnectorCalls calls;

    public TicketSyncFlow(ConnectorCalls calls) {
        this.calls = calls;
    }

    /** One cycle of the sync. */
    public void run(@ExchangeProperty(SyncContext.EXCHANGE_PROPERTY) SyncContext sync) {
        Cycle cycle = new Cycle(sync, TicketSyncSettings.from(sync));
        if (!sync.hints().isEmpty()) {
            cycle.syncHinted();
            return;
        }
        for (Side side : List.of(Side.LEFT, Side.RIGHT)) {
            if (cycle.settings.readFrom().contains(side)) {
                cycle.lookAgainForUncertainCreates(side);
                cycle.readSide(side);
            }
        }
        cycle.checkLinkedPairs();
    }

    /** The state of one cycle: the sync, its settings and both sides' capabilities. */
    private final class Cycle {
        private final SyncContext sync;
        private final TicketSyncSettings settings;
        private final String stream;
        private final OpenDeadLetters letters;
        private final RejectedRecords rejected;

        Cycle(SyncContext sync, TicketSyncSettings settings) {
            this.sync = sync;
            this.settings = settings;
            this.stream = "ticket-sync:" + sync.syncId();
            this.letters = OpenDeadLetters.load(sync);
            this.rejected = new RejectedRecords(sync, letters, "ticket");
        }

        void readSide(Side side) {
            String connection = settings.connection(side);
            Cursor cursor = sync.store().cursors().get(sync.tenant(), connection, stream)
                    .map(c -> Cursor.of(c.value())).orElse(null);
            for (int pages = 0; pages < MAX_PAGES_PER_CYCLE; pages++) {
                Cursor from = cursor;
                Page<Ticket> page = call(side, "read changed tickets", () -> source(side).readChanges(
                        new ReadRequest(from, settings.filters().get(side), settings.pageSize(),
                                settings.firstSyncSince())));
                rejected.deadLetter(connection, page.rejected());
                syncPage(side, page.items());
                sync.store().cursors().put(sync.tenant(), connection, stream, page.next().value());
                cursor = page.next();
                if (!page.hasMore()) {
                    return;
                }
            }
            LOG.warn("Sync {}: stopped reading {} after {} pages this cycle; the next cycle continues",
                    sync.syncId(), connection, MAX_PAGES_PER_CYCLE);
        }

        /**
         * Takes up again the tickets of this side whose twin's create failed in a way that leaves
         * its outcome unknown (an outbox intent with an uncertain attempt): read afresh, their twins
         * are looked up by correlation id once more, as for any unlinked ticket of a page. Their
         * cursor has moved on, so without this they would wait for their next change.
         */
        void lookAgainForUncertainCreates(Side side) {
            List<Ticket> tickets = new ArrayList<>();
            for (OutboxEntry intent : sync.store().outbox().listAttempted(sync.tenant(), sync.syncId(), CREATE_TICKET,
                    MAX_LOOKUP * 10)) {
                Optional<Origin> origin = CorrelationIds.parse(sync.syncId(), intent.idempotencyKey());
                if (origin.isEmpty() || origin.get().side() != side) {
                    continue;
                }
                Optional<Link> linked = link(side, origin.get().id());
                if (linked.isPresent()) { // relinked meanwhile from the twin itself (read on its side)
                    sync.store().outbox().markDone(intent.id(), ref(linked.get(), side.other()).recordId());
                    continue;
                }
                Optional<Ticket> ticket;
                try {
                    ticket = call(side, "read ticket", () -> source(side).fetch(origin.get().id()));
                } catch (ConnectorException e) {
                    LOG.info("Sync {}: could not read {} to look up its twin again: {}", sync.syncId(),
                            origin.get().id(), e.getMessage());
                    continue; // the next cycle tries again
                }
                if (ticket.isEmpty()) {
                    sync.store().outbox().markFailed(intent.id(), "the ticket the twin was for is gone");
                    continue;
                }
                tickets.add(ticket.get());
                if (tickets.size() == MAX_LOOKUP) {
                    syncPage(side, tickets);
                    tickets.clear();
                }
            }
            syncPage(side, tickets);
        }

        /**
         * The periodic reconciliation: every {@code reconcile-every} scheduled cycles, the next
         * {@code reconcile-batch} linked pairs (round robin over all of them, by link id) are read on
         * both sides, so that a record that vanished or became unreadable is noticed even when
         * nothing changed on either side. Such a record is reported once (audit log
         * {@code twin-lost}, a dead letter, {@code failed} in the run summary), never recreated. The
         * position is kept in the cursor table ({@code <cycles>:<last link id>}).
         */
        void checkLinkedPairs() {
            if (settings.reconcileEvery() == 0 || settings.reconcileBatch() == 0) {
                return;
            }
            String stream = "ticket-reconcile:" + sync.syncId();
            String connection = settings.leftConnection();
            String[] state = sync.store().cursors().get(sync.tenant(), connection, stream)
                    .map(org.itsmhub.runtime.store.Cursor::value).orElse("0:0").split(":");
            long cycles = Long.parseLong(state[0]) + 1;
            long after = Long.parseLong(state[1]);
            if (cycles < settings.reconcileEvery()) {
                sync.store().cursors().put(sync.tenant(), connection, stream, cycles + ":" + after);
                return;
            }
            int checked = 0;
            int lost = 0;
            boolean end = false;
            while (checked < settings.reconcileBatch() && !end) {
                List<Link> page = sync.store().links().listBySync(sync.tenant(), sync.syncId(), after,
                        settings.reconcileBatch());
                end = page.size() < settings.reconcileBatch();
                for (Link link : page) {
                    if (checked == settings.reconcileBatch()) {
                        break;
                    }
                    after = link.id();
                    if (link.kind() == RecordKind.TICKET) {
                        checked++;
                        lost += checkPair(link);
                    }
                }
            }
            sync.store().cursors().put(sync.tenant(), connection, stream, "0:" + (end ? 0 : after));
            if (lost > 0) {
                LOG.warn("Sync {}: {} linked ticket(s) vanished or became unreadable", sync.syncId(), lost);
            }
            LOG.debug("Sync {}: checked {} linked pair(s){}", sync.syncId(), checked, end ? ", all done" : "");
        }

        /** Reads both records of a pair; reports each that is gone or unreadable; returns how many. */
        private int checkPair(Link link) {
            int lost = 0;
            for (Side s : List.of(Side.LEFT, Side.RIGHT)) {
                String id = ref(link, s).recordId();
                String why;
                try {
                    why = call(s, "check linked ticket", () -> source(s).fetch(id)).isPresent() ? null
                            : "vanished";
                } catch (AuthenticationException | DataMappingException e) {
                    why = "is no longer readable (" + e.getMessage() + ")";
                } catch (ConnectorException e) {
                    LOG.info("Sync {}: could not check {} this time: {}", sync.syncId(), id, e.getMessage());
                    continue; // a passing failure: the next round checks again
                }
                if (why != null && !alreadyReportedLost(s, id)) {
                    RecordRef other = ref(link, s.other());
                    audit(s, id, "twin-lost", "", "linked to " + other.connectionId() + "/" + other.recordId() + "; "
                            + why + "; found by the periodic check; not recreated");
                    sync.store().deadLetters().add(new NewDeadLetter(sync.tenant(), sync.syncId(),
                            settings.connection(s.other()), "ticket:" + other.recordId(), link.toString(),
                            settings.connection(s) + "/" + id + " " + why, "TwinLost"));
                    sync.summary().addRead(1); // a pair the periodic check took up: read, and failed
                    sync.summary().addFailed(1);
                    lost++;
                }
            }
            return lost;
        }

        private boolean alreadyReportedLost(Side side, String id) {
            return lastAction(side, id).equals("twin-lost");
        }

        /** The action of the record's latest audit entry, or "" when it has none. */
        private String lastAction(Side side, String id) {
            List<AuditEntry> entries = sync.store().auditLog().listByRecord(sync.tenant(), settings.connection(side),
                    id, 1000);
            return entries.isEmpty() ? "" : entries.get(entries.size() - 1).action();
        }

        /** Syncs just the hinted tickets (webhook or dead-letter replay), read fresh from their system. */
        void syncHinted() {
            String connection = sync.hints().connection();
            Side side = connection.equals(settings.leftConnection()) ? Side.LEFT
                    : connection.equals(settings.rightConnection()) ? Side.RIGHT : null;
            if (side == null || !settings.readFrom().contains(side)) {
                return; // a hint for a connection this sync does not read from
            }
            List<Ticket> tickets = new ArrayList<>();
            for (ChangeHint hint : sync.hints().items()) {
                if (hint.kind() != ChangeHint.Kind.TICKET) {
                    continue;
                }
                call(side, "read ticket", () -> source(side).fetch(hint.id())).ifPresent(tickets::add);
                if (tickets.size() == MAX_LOOKUP) {
                    syncPage(side, tickets);
                    tickets.clear();
                }
            }
            syncPage(side, tickets);
        }

        /**
         * Syncs the tickets of one page. Before any twin is created, the twins the target already
         * holds for the page's tickets that have no link are looked up by correlation id, in one
         * lookup for the whole page: after a lost or restored store the store knows nothing of
         * twins the vendor holds. A ticket that has a link, or is itself a twin, costs no lookup,
         * so a quiet cycle makes none.
         */
        private void syncPage(Side side, List<Ticket> tickets) {
            List<Optional<Link>> links = new ArrayList<>();
            List<String> unlinked = new ArrayList<>();
            for (Ticket ticket : tickets) {
                Optional<Link> link = link(side, ticket.ref().id());
                links.add(link);
                if (link.isEmpty() && mayCreateTwin(side, ticket)) {
                    unlinked.add(CorrelationIds.of(sync.syncId(), side, ticket.ref().id()));
                }
            }
            KnownTwins known = findTwins(side.other(), unlinked);
            for (int i = 0; i < tickets.size(); i++) {
                sync.summary().addRead(1);
                syncOne(side, tickets.get(i), links.get(i), known);
            }
        }

        /** Whether an unlinked ticket would get a twin: it is no twin of this sync, and the other side is written. */
        private boolean mayCreateTwin(Side side, Ticket ticket) {
            Optional<Origin> origin = CorrelationIds.parse(sync.syncId(), ticket.correlationId());
            return (origin.isEmpty() || origin.get().side() != side.other()) && settings.writes(side.other());
        }

        /**
         * The twins {@code target} holds for these correlation ids, in one lookup. A lookup that
         * fails answers nothing: each of those tickets then looks for its twin alone before its
         * create, and is dead-lettered if that fails too, so no twin is created unchecked.
         */
        private KnownTwins findTwins(Side target, List<String> correlationIds) {
            if (correlationIds.isEmpty()) {
                return KnownTwins.NONE;
            }
            try {
                Map<String, Ticket> found = new LinkedHashMap<>();
                for (int from = 0; from < correlationIds.size(); from += MAX_LOOKUP) {
                    List<String> ids = correlationIds.subList(from, Math.min(correlationIds.size(), from + MAX_LOOKUP));
                    found.putAll(call(target, "find twins", () -> sink(target).findByCorrelationIds(ids)));
                }
                return new KnownTwins(Set.copyOf(correlationIds), found);
            } catch (ConnectorException e) {
                LOG.warn("Sync {}: could not look up the twins of {} ticket(s) in {}; each is looked up alone: {}",
                        sync.syncId(), correlationIds.size(), settings.connection(target), e.getMessage());
                return KnownTwins.NONE;
            }
        }

        private void syncOne(Side side, Ticket ticket, Optional<Link> link, KnownTwins known) {
            LOG.debug("Sync {}: {} changed on the {} side (updated {})", sync.syncId(), ticket.ref(),
                    side.name().toLowerCase(), ticket.updatedAt());
            try {
                boolean synced;
                Optional<Origin> origin = CorrelationIds.parse(sync.syncId(), ticket.correlationId());
                String correlationId = CorrelationIds.of(sync.syncId(), side, ticket.ref().id());
                if (link.isPresent()) {
                    synced = reconcile(side, ticket, link.get(), null);
                } else if (origin.isPresent() && origin.get().side() == side.other()) {
                    synced = relink(side, ticket, origin.get().id());
                } else if (!settings.writes(side.other())) {
                    sync.summary().addUnchanged(1);
                    synced = false;
                } else if (known.twinOf(correlationId).isPresent()) {
                    synced = adopt(side, ticket, known.twinOf(correlationId).get(), "relink", sync.store().outbox()
                            .findByKey(sync.tenant(), correlationId).filter(e -> e.status() == OutboxStatus.PENDING
                                    && e.attempts() > 0).isPresent() ? UNCERTAIN : "the store had no link");
                } else {
                    synced = createTwin(side, ticket, known.answered(correlationId));
                }
                if (synced) {
                    letters.synced(settings.connection(side), "ticket:" + ticket.ref().id(), ticket.ref().id());
                }
            } catch (ConnectorException | IllegalArgumentException | IllegalStateException e) {
                deadLetter(side, ticket, e);
            } catch (StoreConflictException e) {
                // a link the vendors could not settle (see relink): this ticket waits, the others go on
                deadLetter(side, ticket, e);
            }
        }

        /**
         * Creates the twin of a ticket the store has no link for.
         *
         * @param lookedUp whether this cycle's lookup for the page answered for it (and found none)
         * @return false when the twin was neither created nor found, because an earlier create may
         *         have made it and the target's search may not show it yet
         */
        private boolean createTwin(Side side, Ticket ticket, boolean lookedUp) {
            Side target = side.other();
            String correlationId = CorrelationIds.of(sync.syncId(), side, ticket.ref().id());
            boolean syncsStatus = settings.fields().contains(SyncedField.STATUS);
            // the status goes into the create call where the target takes it there: one write, not two
            boolean statusInCreate = syncsStatus && sink(target).statusesOnCreate().contains(ticket.status());
            Set<SyncedField> inCreate = EnumSet.noneOf(SyncedField.class);
            inCreate.addAll(settings.fields());
            inCreate.remove(SyncedField.STATUS);
            Ticket content = copyFields(ticket.toBuilder().ref(null).correlationId(correlationId)
                    .comments(List.of()).status(statusInCreate ? ticket.status() : TicketStatus.NEW).build(), ticket,
                    inCreate);
            // what the twin holds once created and, where needed, moved to the ticket's status
            Ticket sent = syncsStatus ? content.toBuilder().status(ticket.status()).build() : content;
            // The intent to create is recorded before the create call. When an earlier attempt left
            // one behind (a crash, a timeout, possibly earlier in this cycle), or the page's lookup
            // did not answer, the twin is looked up here first.
            Optional<OutboxEntry> earlier = sync.store().outbox().findByKey(sync.tenant(), correlationId);
            boolean uncertain = earlier.isPresent() && earlier.get().status() == OutboxStatus.PENDING
                    && earlier.get().attempts() > 0;
            // an uncertain create's twin was just looked up with its page: no second lookup
            if (!lookedUp || earlier.isPresent() && !uncertain) {
                Optional<Ticket> existing = findTwin(target, correlationId);
                if (existing.isPresent()) {
                    adopt(side, ticket, existing.get(), "relink", uncertain ? UNCERTAIN
                            : earlier.isPresent() ? "created before a restart" : "the store had no link");
                    return true;
                }
            }
            if (uncertain) {
                Instant lastAttempt = earlier.get().updatedAt();
                if (sync.clock().instant().isBefore(lastAttempt.plus(UNCERTAIN_CREATE_LOOKUPS))) {
                    createMayHaveHappened(side, ticket, target, "no twin found yet");
                    return false;
                }
                LOG.warn("Sync {}: no twin of {} found in {} since the create of {} whose outcome was unknown;"
                        + " creating it", sync.syncId(), ticket.ref(), settings.connection(target), lastAttempt);
            }
            OutboxEntry intent = earlier.orElseGet(() -> sync.store().outbox().enqueue(new NewOutboxEntry(
                    sync.tenant(), sync.syncId(), settings.connection(target), CREATE_TICKET, correlationId,
                    "twin of " + ticket.ref())));
            CreateOnce create = new CreateOnce(target, content, correlationId);
            ExternalRef created;
            try {
                created = call(target, "create ticket", create);
            } catch (ConnectorException e) {
                if (!create.mayHaveCreated) {
                    throw e;
                }
                sync.store().outbox().recordUncertainAttempt(intent.id());
                createMayHaveHappened(side, ticket, target, create.failure);
                return false;
            }
            if (create.adopted != null) {
                adopt(side, ticket, create.adopted, "relink", "made by a create attempt that failed ("
                        + create.failure + ")");
                return true;
            }
            List<Comment> fresh = newComments(side, ticket);
            ExternalRef twin = created;
            audit(target, twin.id(), "create", names(settings.fields()), "twin of " + ticket.ref());
            if (syncsStatus && !statusInCreate) {
                call(target, "change status", () -> {
                    sink(target).changeStatus(twin.id(), ticket.status(), statusNote(ticket),
                            resolutionNote(ticket));
                    return null;
                });
                audit(target, twin.id(), "status", "status", ticket.status().name());
            }
            sync.summary().addCreated(1);
            FieldSnapshot twinSnapshot = fresh.isEmpty() && twinReadSoon(target) ? FieldSnapshot.provisional(sent)
                    : FieldSnapshot.of(readBack(target, twin.id(), sent));
            Link link = storeLink(side, ticket.ref(), twin, correlationId, FieldSnapshot.of(ticket), twinSnapshot);
            sync.store().outbox().markDone(intent.id(), twin.toString());
            if (settings.backLink() && settings.writes(side)) {
                // opt-in per sync: one more write per ticket, which a tight quota may not afford
                call(side, "add back-link", () -> sink(side).addComment(ticket.ref().id(), new Comment(null,
                        HUB, CommentCopy.backLink(twin), sync.clock().instant(), Visibility.INTERNAL)));
                audit(side, ticket.ref().id(), "back-link", "comment", "internal note naming twin " + twin);
            }
            if (!fresh.isEmpty()) {
                copyComments(side, ticket, link, fresh, twin.id(), false);
            }
            return true;
        }

        /**
         * A create that may have made the twin, which the lookup does not show (yet): the intent stays
         * PENDING with its attempt counted, so later cycles look the twin up again (see
         * {@link #lookAgainForUncertainCreates}) until {@link #UNCERTAIN_CREATE_LOOKUPS} has passed.
         */
        private void createMayHaveHappened(Side side, Ticket ticket, Side target, String why) {
            LOG.warn("Sync {}: create of the twin of {} in {} may have happened ({}); looking up its twin again next"
                    + " cycle", sync.syncId(), ticket.ref(), settings.connection(target), why);
            sync.summary().addSkipped(1);
        }

        /**
         * A create through the retry policy. An attempt that failed retriably may have created the
         * twin all the same, so every later attempt first looks for it by correlation id and takes
         * it instead of creating a second one. When the failure leaves the outcome unknown (a
         * timeout, a lost connection, a 5xx; not a 429 or other answer with a retry-after, which
         * says the vendor did nothing) and the lookup finds nothing, it does not create again: a
         * search index may not show a ticket created seconds ago. The caller leaves that to a
         * later cycle's lookup.
         */
        private final class CreateOnce implements Supplier<ExternalRef> {
            private final Side target;
            private final Ticket content;
            private final String correlationId;
            private boolean attempted;
            private boolean mayHaveCreated;
            private String failure;
            private Ticket adopted;

            CreateOnce(Side target, Ticket content, String correlationId) {
                this.target = target;
                this.content = content;
                this.correlationId = correlationId;
            }

            @Override
            public ExternalRef get() {
                if (attempted) {
                    Ticket found = sink(target).findByCorrelationIds(List.of(correlationId)).get(correlationId);
                    if (found != null) {
                        adopted = found;
                        return found.ref();
                    }
                    if (mayHaveCreated) { // not retriable: ends the retries of this call
                        throw new ConnectorException("the create may have happened (" + failure
                                + ") and its twin is not found yet; not created again this cycle");
                    }
                }
                attempted = true;
                try {
                    return sink(target).create(content, correlationId);
                } catch (ConnectorException e) {
                    failure = e.getMessage();
                    mayHaveCreated = mayHaveCreated || e.isRetriable()
                            && !(e instanceof RetriableException r && r.retryAfter().isPresent());
                    throw e;
                }
            }
        }

        /** The twin {@code target} holds with this correlation id (the oldest, if several), if any. */
        private Optional<Ticket> findTwin(Side target, String correlationId) {
            return Optional.ofNullable(call(target, "find twin",
                    () -> sink(target).findByCorrelationIds(List.of(correlationId))).get(correlationId));
        }

        /**
         * Links a ticket the store had no link for to the twin {@code target} holds for it (found
         * by correlation id), audited as recovered from that vendor, then syncs the pair like any
         * linked one: what differs is written (see {@link #recoveredSnapshots}), nothing is created.
         * Any link either record had to another record gives way: the vendor's word wins.
         */
        private boolean adopt(Side side, Ticket ticket, Ticket twin, String action, String why) {
            Side target = side.other();
            String correlationId = CorrelationIds.of(sync.syncId(), side, ticket.ref().id());
            FieldSnapshot[] snapshots = recoveredSnapshots(side, ticket, twin);
            boolean left = side == Side.LEFT;
            List<Link> replaced = sync.store().links().replace(new NewLink(sync.tenant(), sync.syncId(),
                    RecordKind.TICKET, recordRef(left ? ticket.ref() : twin.ref()),
                    recordRef(left ? twin.ref() : ticket.ref()), correlationId,
                    snapshots[left ? 0 : 1].format(), snapshots[left ? 1 : 0].format()));
            audit(target, twin.ref().id(), action, "", "link recovered from " + settings.connection(target)
                    + ": twin of " + ticket.ref() + " found by correlation id " + correlationId + " (" + why + ")"
                    + replacedNote(replaced));
            sync.store().outbox().findByKey(sync.tenant(), correlationId)
                    .filter(e -> e.status() != OutboxStatus.DONE)
                    .ifPresent(e -> sync.store().outbox().markDone(e.id(), twin.ref().toString()));
            Link link = link(side, ticket.ref().id()).orElseThrow();
            return reconcile(side, ticket, link, twin);
        }

        /**
         * The snapshots {@code [ticket's, twin's]} for a pair whose last sync the store does not
         * know. A twin nobody touched since the hub created it, of a ticket unchanged since, is in
         * step: what the target made of the create is no change. Otherwise each field that differs
         * counts as changed on the side that wins it and not on the other, so that syncing the pair
         * writes it across: the ticket's side when the twin is the hub's untouched create, else the
         * field's owner, else the side changed last (as in a conflict).
         */
        private FieldSnapshot[] recoveredSnapshots(Side side, Ticket ticket, Ticket twin) {
            boolean twinUntouched = untouchedSinceCreated(twin);
            if (twinUntouched && ticket.updatedAt() != null && !ticket.updatedAt().isAfter(twin.createdAt())) {
                return new FieldSnapshot[] {FieldSnapshot.of(ticket), FieldSnapshot.of(twin)};
            }
            // the loser's value of each field: the winner's side then differs from it, the loser's not
            Set<SyncedField> twinWins = EnumSet.noneOf(SyncedField.class);
            for (SyncedField f : settings.fields()) {
                if (!twinUntouched && conflictWinner(f, side, ticket, twin) == side.other()) {
                    twinWins.add(f);
                }
            }
            Set<SyncedField> ticketWins = EnumSet.noneOf(SyncedField.class);
            ticketWins.addAll(settings.fields());
            ticketWins.removeAll(twinWins);
            FieldSnapshot base = FieldSnapshot.of(copyFields(copyFields(ticket, twin, ticketWins), ticket, twinWins));
            return new FieldSnapshot[] {base, base};
        }

        private String replacedNote(List<Link> replaced) {
            StringBuilder sb = new StringBuilder();
            for (Link l : replaced) {
                sb.append("; replaces the stored link ").append(l.sideA().connectionId()).append('/')
                        .append(l.sideA().recordId()).append(" <-> ").append(l.sideB().connectionId()).append('/')
                        .append(l.sideB().recordId());
            }
            return sb.toString();
        }

        /**
         * Links a twin of this sync read before its link (a crash between create and link stored,
         * or a lost store); true when linked. When its original is already linked to another
         * ticket, two tickets carry one correlation id (a create retried after a timeout, or a store
         * restored from before a create): the vendor decides which is the twin (the oldest with
         * that id), the link is repaired to it and the other reported as a duplicate, both
         * audited. When the vendor cannot tell, this ticket is dead-lettered and the sync goes on.
         */
        private boolean relink(Side side, Ticket twin, String originId) {
            Side origin = side.other();
            ExternalRef originRef = ExternalRef.of(sync.pluginOf(settings.connection(origin)),
                    settings.connection(origin), originId);
            Optional<Link> originsLink = link(origin, originId);
            if (originsLink.isPresent()) {
                return settleDuplicate(side, twin, originRef, ref(originsLink.get(), side).recordId());
            }
            // the original is read so that the pair is taken as it is, as a lookup from its side would
            Optional<Ticket> original;
            try {
                original = call(origin, "read ticket", () -> source(origin).fetch(originId));
            } catch (ConnectorException e) {
                LOG.info("Sync {}: could not read {} to relink its twin: {}", sync.syncId(), originRef, e.getMessage());
                original = Optional.empty();
            }
            if (original.isPresent()) {
                sync.summary().addRead(1); // the original, taken up with its twin
                adopt(origin, original.get(), twin, "relink", "its own twin, read before its link was stored");
                sync.summary().addUnchanged(1);
                return true;
            }
            FieldSnapshot snapshot = FieldSnapshot.of(twin);
            storeLink(origin, originRef, twin.ref(), twin.correlationId(), snapshot, snapshot);
            audit(side, twin.ref().id(), "relink", "", "own twin of " + originRef + " recognised by correlation id");
            sync.summary().addUnchanged(1);
            return true;
        }

        private boolean settleDuplicate(Side side, Ticket ticket, ExternalRef originRef, String linkedId) {
            String correlationId = ticket.correlationId();
            Optional<Ticket> vendorsTwin;
            try {
                vendorsTwin = findTwin(side, correlationId);
            } catch (ConnectorException e) {
                throw new StoreConflictException(ticket.ref() + " carries correlation id " + correlationId + " of "
                        + originRef + ", which is linked to " + linkedId + "; the lookup to decide failed: "
                        + e.getMessage(), e);
            }
            if (vendorsTwin.isEmpty()) {
                throw new StoreConflictException(ticket.ref() + " carries correlation id " + correlationId + " of "
                        + originRef + ", which is linked to " + linkedId + "; " + settings.connection(side)
                        + " finds no ticket with that id, so which is the twin cannot be decided");
            }
            Ticket twin = vendorsTwin.get();
            if (!twin.ref().id().equals(linkedId)) {
                // the stored link gives way; the original is read so that the pair is in step at once
                Side origin = side.other();
                Optional<Ticket> original = call(origin, "read ticket", () -> source(origin).fetch(originRef.id()));
                if (original.isPresent()) {
                    sync.summary().addRead(1);
                    adopt(origin, original.get(), twin, "link-repaired", "the oldest ticket with that id; the stored"
                            + " link named " + linkedId);
                } else {
                    FieldSnapshot snapshot = FieldSnapshot.of(twin);
                    boolean left = side == Side.LEFT;
                    List<Link> replaced = sync.store().links().replace(new NewLink(sync.tenant(), sync.syncId(),
                            RecordKind.TICKET, recordRef(left ? twin.ref() : originRef),
                            recordRef(left ? originRef : twin.ref()), correlationId, snapshot.format(),
                            snapshot.format()));
                    audit(side, twin.ref().id(), "link-repaired", "", "twin of " + originRef + " per "
                            + settings.connection(side) + " (the oldest ticket with correlation id " + correlationId
                            + "; " + originRef.id() + " could not be read)" + replacedNote(replaced));
                }
                LOG.warn("Sync {}: link of {} repaired to {}, the oldest ticket with its correlation id", sync.syncId(),
                        originRef, twin.ref());
                reportDuplicate(side, linkedId, correlationId, originRef, twin.ref().id());
            }
            if (twin.ref().id().equals(ticket.ref().id())) {
                sync.summary().addUnchanged(1);
                return true;
            }
            reportDuplicate(side, ticket.ref().id(), correlationId, originRef, twin.ref().id());
            sync.summary().addSkipped(1);
            return false;
        }

        /** Audits a ticket as a duplicate twin, once: the hub leaves it alone, a person closes it. */
        private void reportDuplicate(Side side, String id, String correlationId, ExternalRef originRef, String twinId) {
            if (lastAction(side, id).equals("duplicate-twin")) {
                return;
            }
            audit(side, id, "duplicate-twin", "", "carries correlation id " + correlationId + " of " + originRef
                    + ", whose twin is " + twinId + " (the oldest with that id); not linked, not synced;"
                    + " close it by hand");
            LOG.warn("Sync {}: {}/{} is a duplicate twin of {} (the twin is {}); not synced", sync.syncId(),
                    settings.connection(side), id, originRef, twinId);
        }

        /**
         * Brings a linked pair in step; true when it checked the ticket against its twin (read it
         * and wrote what changed), false when it read no twin: nothing changed, or the twin is gone.
         *
         * @param twinInHand the twin as just read (a lookup found it), or null to read it when needed
         */
        private boolean reconcile(Side side, Ticket ticket, Link link, Ticket twinInHand) {
            Side other = side.other();
            FieldSnapshot mine = FieldSnapshot.parse(version(link, side));
            FieldSnapshot theirs = FieldSnapshot.parse(version(link, other));
            if (twinInHand == null && mine.isProvisional() && untouchedSinceCreated(ticket)) {
                // The first read of a twin the hub created without comments, untouched since: what
                // the system made of the create becomes its snapshot. Nobody commented either (a
                // comment would have touched it), so even its comments need no read.
                LOG.debug("Sync {}: {} is the hub's own create, read for the first time", sync.syncId(), ticket.ref());
                keepAsSeen(link, side, ticket);
                sync.summary().addUnchanged(1);
                return false;
            }
            Set<SyncedField> changedHere = changedSince(side, mine, ticket);
            List<Comment> newComments = newComments(side, ticket);
            if (twinInHand == null && changedHere.isEmpty() && newComments.isEmpty()) {
                LOG.debug("Sync {}: {} matches its snapshot and has no new comments", sync.syncId(), ticket.ref());
                if (mine.isProvisional()) {
                    keepAsSeen(link, side, ticket);
                }
                sync.summary().addUnchanged(1);
                return false;
            }
            String twinId = ref(link, other).recordId();
            Optional<Ticket> twinNow = twinInHand != null ? Optional.of(twinInHand)
                    : call(other, "read twin", () -> source(other).fetch(twinId));
            if (twinNow.isEmpty()) {
                audit(other, twinId, "twin-lost", "", "twin of " + ticket.ref() + " vanished or is no longer "
                        + "readable; not recreated");
                sync.store().deadLetters().add(new NewDeadLetter(sync.tenant(), sync.syncId(),
                        settings.connection(side), "ticket:" + ticket.ref().id(), ticket.toString(),
                        "twin " + settings.connection(other) + "/" + twinId + " vanished or is no longer readable",
                        "TwinLost"));
                sync.summary().addFailed(1);
                return false;
            }
            Ticket twin = twinNow.get();
            Set<SyncedField> changedThere = changedSince(other, theirs, twin);
            Set<SyncedField> toOther = EnumSet.noneOf(SyncedField.class);
            Set<SyncedField> toHere = EnumSet.noneOf(SyncedField.class);
            for (SyncedField f : settings.fields()) {
                boolean here = changedHere.contains(f);
                boolean there = changedThere.contains(f);
                boolean differ = !f.valueOf(ticket).equals(f.valueOf(twin));
                if (!differ || (!here && !there)) {
                    continue;
                }
                Side winner = here && there ? conflictWinner(f, side, ticket, twin) : here ? side : other;
                if (here && there) {
                    Ticket loser = winner == side ? twin : ticket;
                    audit(winner == side ? other : side, ref(link, winner == side ? other : side).recordId(),
                            "conflict", f.parameterName(), "both sides changed " + f.parameterName() + "; kept the "
                                    + winner.name().toLowerCase() + " value, discarded '" + abbreviate(f.valueOf(loser))
                                    + "'");
                }
                if (winner == side && settings.writes(other)) {
                    toOther.add(f);
                } else if (winner == other && settings.writes(side)) {
                    toHere.add(f);
                }
            }
            boolean wroteThere = write(other, twin, ticket, toOther);
            boolean wroteHere = write(side, ticket, twin, toHere);
            boolean wrote = wroteThere || wroteHere;
            Ticket hereAfter = wroteHere ? readBack(side, ticket.ref().id(), copyFields(ticket, twin, toHere)) : ticket;
            Ticket thereAfter = wroteThere ? readBack(other, twinId, copyFields(twin, ticket, toOther)) : twin;
            sync.store().links().updateSyncState(link.id(), side == Side.LEFT ? FieldSnapshot.of(hereAfter).format()
                    : FieldSnapshot.of(thereAfter).format(), side == Side.LEFT ? FieldSnapshot.of(thereAfter).format()
                    : FieldSnapshot.of(hereAfter).format());
            wrote |= copyComments(side, ticket, link, newComments, twinId);
            if (wrote) {
                sync.summary().addUpdated(1);
            } else {
                sync.summary().addUnchanged(1);
            }
            return true;
        }

        /** Stores the ticket as its side's snapshot, leaving the other side's as it is. */
        private void keepAsSeen(Link link, Side side, Ticket ticket) {
            String seen = FieldSnapshot.of(ticket).format();
            sync.store().links().updateSyncState(link.id(), side == Side.LEFT ? seen : null,
                    side == Side.LEFT ? null : seen);
        }

        /**
         * Whether a twin just created on {@code target} needs no read-back: its snapshot can be
         * what was sent, until its first read replaces it with what the target made of it (see
         * {@link #changedSince}). True when this sync never reads the target (a one-way sync only
         * reads a twin again for a change of its source), and in a scheduled cycle when the target
         * is the right side, which is read after the left one in this same cycle. Otherwise (a twin
         * on the left, or a webhook cycle) the first read could be minutes away, time for a human
         * to touch the twin, so it is read back now.
         */
        private boolean twinReadSoon(Side target) {
            return !settings.readFrom().contains(target) || (target == Side.RIGHT && sync.hints().isEmpty());
        }

        /**
         * The record as its system now shows it, after the hub wrote to it. Its snapshot must be of
         * what the system made of the write, not of what was sent: a system that cannot represent a
         * value (Freshdesk has no "in progress", a new ServiceNow incident starts as New whatever was
         * asked) would otherwise look changed on the next read and the value would bounce between the
         * two systems forever.
         */
        private Ticket readBack(Side side, String id, Ticket sent) {
            return call(side, "read back", () -> source(side).fetch(id)).orElse(sent);
        }

        /**
         * Writes the given fields of {@code values} to the record {@code current} on {@code side};
         * false if nothing was written. A status the record already shows in its own terms is not
         * written: the change would only add the hub's note.
         */
        private boolean write(Side side, Ticket current, Ticket values, Set<SyncedField> requested) {
            String id = current.ref().id();
            Set<SyncedField> fields = EnumSet.noneOf(SyncedField.class);
            fields.addAll(requested);
            if (fields.contains(SyncedField.STATUS) && current.vendorStatus() != null && sink(side)
                    .vendorStatusFor(values.status()).filter(current.vendorStatus()::equals).isPresent()) {
                LOG.debug("Sync {}: {} already shows {} as {}; status not written", sync.syncId(), current.ref(),
                        values.status(), current.vendorStatus());
                fields.remove(SyncedField.STATUS);
            }
            if (fields.isEmpty()) {
                return false;
            }
            Set<TicketField> plain = EnumSet.noneOf(TicketField.class);
            for (SyncedField f : fields) {
                if (f.ticketField() != null) {
                    plain.add(f.ticketField());
                }
            }
            if (!plain.isEmpty()) {
                call(side, "update ticket", () -> {
                    sink(side).update(id, values, plain);
                    return null;
                });
                audit(side, id, "update", names(fields.stream().filter(f -> f.ticketField() != null).toList()),
                        "from " + values.ref());
            }
            if (fields.contains(SyncedField.STATUS)) {
                call(side, "change status", () -> {
                    sink(side).changeStatus(id, values.status(), statusNote(values), resolutionNote(values));
                    return null;
                });
                audit(side, id, "status", "status", values.status().name() + " from " + values.ref());
            }
            return true;
        }

        private List<Comment> newComments(Side side, Ticket ticket) {
            List<Comment> all = call(side, "read comments", () -> source(side).comments(ticket.ref().id()));
            List<Comment> fresh = new ArrayList<>();
            for (Comment c : all) {
                if (c.ref() == null || commentLink(side, c.ref().id()).isPresent()) {
                    continue; // a copy the hub made here, or an original it already copied
                }
                if (CommentCopy.isHubText(c.body()) && !quotesACopy(side, c)) {
                    continue; // a copy made before a crash, or a note the hub wrote
                }
                fresh.add(c);
            }
            return fresh;
        }

        /**
         * Whether a comment that carries the marker of a copy is a person quoting that copy (an
         * e-mail reply keeps the quoted text, marker included) rather than the copy itself: the
         * copy of that original is known, and it is another comment.
         */
        private boolean quotesACopy(Side side, Comment c) {
            Optional<Origin> origin = CommentCopy.originOf(c);
            if (origin.isEmpty() || origin.get().side() != side.other()) {
                return false;
            }
            return link(origin.get().side(), COMMENT_PREFIX + origin.get().id())
                    .map(l -> ref(l, side).recordId())
                    .filter(copy -> !copy.startsWith(COMMENT_PREFIX + "copy-of-"))
                    .filter(copy -> !copy.equals(COMMENT_PREFIX + c.ref().id()))
                    .isPresent();
        }

        private boolean copyComments(Side side, Ticket ticket, Link link, List<Comment> fresh, String twinId) {
            return copyComments(side, ticket, link, fresh, twinId, true);
        }

        private boolean copyComments(Side side, Ticket ticket, Link link, List<Comment> fresh, String twinId,
                boolean twinMayHaveCopies) {
            Side other = side.other();
            if (fresh.isEmpty() || !settings.writes(other)) {
                return false;
            }
            // copies made before a crash carry markers: never copy those twice
            Set<String> alreadyCopied = new HashSet<>();
            if (twinMayHaveCopies) {
                for (Comment c : call(other, "read comments", () -> source(other).comments(twinId))) {
                    CommentCopy.originOf(c).filter(o -> o.side() == side).ifPresent(o -> alreadyCopied.add(o.id()));
                }
            }
            for (Comment comment : fresh) {
                ExternalRef copy;
                if (alreadyCopied.contains(comment.ref().id())) {
                    copy = null;
                } else {
                    Comment outgoing = new Comment(null, comment.author(), CommentCopy.body(comment, side,
                            comment.ref().system()), comment.createdAt(), comment.visibility());
                    copy = call(other, "add comment", () -> sink(other).addComment(twinId, outgoing));
                    audit(other, twinId, "comment", comment.visibility().name().toLowerCase(),
                            "copy of comment " + comment.ref());
                }
                ExternalRef copyRef = copy != null ? copy
                        : ExternalRef.of(sync.pluginOf(settings.connection(other)), settings.connection(other),
                                "copy-of-" + comment.ref().id());
                storeCommentLink(side, comment.ref(), copyRef, link.correlationId());
            }
            return true;
        }

        private Side conflictWinner(SyncedField field, Side side, Ticket ticket, Ticket twin) {
            Side owner = settings.owners().get(field);
            if (owner != null) {
                return owner;
            }
            Instant here = ticket.updatedAt();
            Instant there = twin.updatedAt();
            if (here == null || there == null) {
                return side;
            }
            return there.isAfter(here) ? side.other() : side;
        }

        /**
         * The fields a human changed on {@code side} since the snapshot. A provisional snapshot
         * (what the hub sent in a create) of a ticket nobody touched since it was created describes
         * the hub's own write: whatever the system made of it (a default status, a reformatted
         * text) is not a change, and the caller stores what it sees instead. On a side this sync
         * never reads (the target of a one-way sync) it counts as unchanged in any case: such a
         * side only matters for conflicts, and the source has the say there.
         */
        private Set<SyncedField> changedSince(Side side, FieldSnapshot snapshot, Ticket ticket) {
            if (snapshot.isProvisional() && (!settings.readFrom().contains(side) || untouchedSinceCreated(ticket))) {
                return EnumSet.noneOf(SyncedField.class);
            }
            return changed(snapshot, ticket);
        }

        private Set<SyncedField> changed(FieldSnapshot snapshot, Ticket ticket) {
            Set<SyncedField> changed = EnumSet.noneOf(SyncedField.class);
            for (SyncedField f : settings.fields()) {
                if (snapshot.changed(f, ticket)) {
                    changed.add(f);
                }
            }
            return changed;
        }

        private Link storeLink(Side side, ExternalRef record, ExternalRef twin, String correlationId,
                FieldSnapshot recordSnapshot, FieldSnapshot twinSnapshot) {
            boolean left = side == Side.LEFT;
            return sync.store().links().upsert(new NewLink(sync.tenant(), sync.syncId(), RecordKind.TICKET,
                    recordRef(left ? record : twin), recordRef(left ? twin : record), correlationId,
                    (left ? recordSnapshot : twinSnapshot).format(), (left ? twinSnapshot : recordSnapshot).format()));
        }

        private void storeCommentLink(Side side, ExternalRef comment, ExternalRef copy, String correlationId) {
            boolean left = side == Side.LEFT;
            sync.store().links().upsert(new NewLink(sync.tenant(), sync.syncId(), RecordKind.COMMENT,
                    commentRef(left ? comment : copy), commentRef(left ? copy : comment), correlationId, null, null));
        }

        private Optional<Link> link(Side side, String id) {
            return side == Side.LEFT
                    ? sync.store().links().findBySideA(sync.tenant(), sync.syncId(), settings.leftConnection(), id)
                    : sync.store().links().findBySideB(sync.tenant(), sync.syncId(), settings.rightConnection(), id);
        }

        private Optional<Link> commentLink(Side side, String commentId) {
            return link(side, COMMENT_PREFIX + commentId);
        }

        private void deadLetter(Side side, Ticket ticket, RuntimeException e) {
            LOG.warn("Sync {}: ticket {} could not be synced: {}", sync.syncId(), ticket.ref(), e.getMessage());
            sync.store().deadLetters().add(new NewDeadLetter(sync.tenant(), sync.syncId(), settings.connection(side),
                    "ticket:" + ticket.ref().id(), ticket.toString(), String.valueOf(e.getMessage()),
                    e.getClass().getSimpleName()));
            sync.summary().addFailed(1);
        }

        private void audit(Side side, String recordId, String action, String fields, String detail) {
            sync.store().auditLog().append(new NewAuditEntry(sync.tenant(), sync.syncId(), "sync:" + sync.syncId(),
                    sync.pluginOf(settings.connection(side)), settings.connection(side), recordId, action, fields,
                    detail));
        }

        private <T> T call(Side side, String operation, Supplier<T> call) {
            return calls.call(sync.tenant(), settings.connection(side), operation, call);
        }

        private TicketSource source(Side side) {
            return sync.capability(side == Side.LEFT ? "left-connection" : "right-connection", TicketSource.class);
        }

        private TicketSink sink(Side side) {
            return sync.capability(side == Side.LEFT ? "left-connection" : "right-connection", TicketSink.class);
        }
    }

    /** The twins one lookup by correlation id found, and the ids it answered for (found or not). */
    private record KnownTwins(Set<String> asked, Map<String, Ticket> found) {
        static final KnownTwins NONE = new KnownTwins(Set.of(), Map.of());

        boolean answered(String correlationId) {
            return asked.contains(correlationId);
        }

        Optional<Ticket> twinOf(String correlationId) {
            return Optional.ofNullable(found.get(correlationId));
        }
    }

    /**
     * Whether a ticket's last change is its creation, allowing for the writes a create can take
     * (a status change, a property a connector sets): updated at most {@link #CREATE_SETTLING}
     * after it was created. A human edit that quick after the hub created the twin would be
     * taken as part of the create; unknown times count as touched.
     */
    static boolean untouchedSinceCreated(Ticket ticket) {
        return ticket.createdAt() != null && ticket.updatedAt() != null
                && !ticket.updatedAt().isAfter(ticket.createdAt().plus(CREATE_SETTLING));
    }

    private static String version(Link link, Side side) {
        return side == Side.LEFT ? link.versionA() : link.versionB();
    }

    private static RecordRef ref(Link link, Side side) {
        return side == Side.LEFT ? link.sideA() : link.sideB();
    }

    private static RecordRef recordRef(ExternalRef ref) {
        return new RecordRef(ref.system(), ref.connection(), ref.id(), ref.url());
    }

    /** Comment links share the links table with ticket links; the prefix keeps their ids apart. */
    private static RecordRef commentRef(ExternalRef ref) {
        return new RecordRef(ref.system(), ref.connection(), COMMENT_PREFIX + ref.id(), ref.url());
    }

    /** {@code base} with the given fields' values taken from {@code from}. */
    private static Ticket copyFields(Ticket base, Ticket from, Set<SyncedField> fields) {
        Ticket.Builder b = base.toBuilder();
        for (SyncedField f : fields) {
            switch (f) {
                case TITLE -> b.title(from.title());
                case DESCRIPTION -> b.description(from.description());
                case STATUS -> b.status(from.status());
                case PRIORITY -> b.priority(from.priority());
                case ASSIGNMENT_GROUP -> b.assignmentGroup(from.assignmentGroup());
                default -> throw new IllegalStateException("unhandled field " + f);
            }
        }
        return b.build();
    }

    /** The hub's note on a status change, marked so that reading it back never takes it for a person's. */
    private static String statusNote(Ticket from) {
        return CommentCopy.marked(from.ref() == null ? "Synced by ITSM Hub" : "Synced by ITSM Hub from " + from.ref(),
                CommentCopy.HUB_NOTE);
    }

    /**
     * What the person who resolved {@code from} wrote for the customer, marked, when {@code from} is
     * done and has one that the hub did not write itself; else null.
     */
    static String resolutionNote(Ticket from) {
        String note = from.attributes().get(Ticket.RESOLUTION_NOTE);
        if (!from.status().isDone() || note == null || note.isBlank() || CommentCopy.isHubText(note)) {
            return null;
        }
        return CommentCopy.marked(note, CommentCopy.RESOLUTION_NOTE);
    }

    private static String names(java.util.Collection<SyncedField> fields) {
        return String.join(",", fields.stream().map(SyncedField::parameterName).toList());
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
