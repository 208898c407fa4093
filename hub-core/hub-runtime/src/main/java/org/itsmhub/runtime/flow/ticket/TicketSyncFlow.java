package org.itsmhub.runtime.flow.ticket;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
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
import org.itsmhub.runtime.store.RecordKind;
import org.itsmhub.runtime.store.RecordRef;
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
 *       of the other side) the link is restored; otherwise the intent to create is recorded in the
 *       outbox (idempotency key = correlation id) and the twin is created with the correlation id
 *       inside the create call. When an earlier attempt left an intent behind, the twin is first
 *       looked up by correlation id, so a crash between "created" and "link stored" never yields a
 *       duplicate. A twin that gets no comments is not read back when its side is read later in
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
    private static final String COMMENT_PREFIX = "comment:";
    /** How long after its creation a twin's changes still count as part of the hub's create. */
    static final Duration CREATE_SETTLING = Duration.ofSeconds(5);

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
                for (Ticket ticket : page.items()) {
                    sync.summary().addRead(1);
                    syncOne(side, ticket);
                }
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
            List<AuditEntry> entries = sync.store().auditLog().listByRecord(sync.tenant(), settings.connection(side),
                    id, 1000);
            return !entries.isEmpty() && entries.get(entries.size() - 1).action().equals("twin-lost");
        }

        /** Syncs just the hinted tickets (webhook or dead-letter replay), read fresh from their system. */
        void syncHinted() {
            String connection = sync.hints().connection();
            Side side = connection.equals(settings.leftConnection()) ? Side.LEFT
                    : connection.equals(settings.rightConnection()) ? Side.RIGHT : null;
            if (side == null || !settings.readFrom().contains(side)) {
                return; // a hint for a connection this sync does not read from
            }
            for (ChangeHint hint : sync.hints().items()) {
                if (hint.kind() != ChangeHint.Kind.TICKET) {
                    continue;
                }
                Optional<Ticket> ticket = call(side, "read ticket", () -> source(side).fetch(hint.id()));
                if (ticket.isPresent()) {
                    sync.summary().addRead(1);
                    syncOne(side, ticket.get());
                }
            }
        }

        private void syncOne(Side side, Ticket ticket) {
            LOG.debug("Sync {}: {} changed on the {} side (updated {})", sync.syncId(), ticket.ref(),
                    side.name().toLowerCase(), ticket.updatedAt());
            try {
                boolean synced;
                Optional<Link> link = link(side, ticket.ref().id());
                Optional<Origin> origin = CorrelationIds.parse(sync.syncId(), ticket.correlationId());
                if (link.isPresent()) {
                    synced = reconcile(side, ticket, link.get());
                } else if (origin.isPresent() && origin.get().side() == side.other()) {
                    relink(side, ticket, origin.get().id());
                    synced = true;
                } else if (settings.writes(side.other())) {
                    createTwin(side, ticket);
                    synced = true;
                } else {
                    sync.summary().addUnchanged(1);
                    synced = false;
                }
                if (synced) {
                    letters.synced(settings.connection(side), "ticket:" + ticket.ref().id(), ticket.ref().id());
                }
            } catch (ConnectorException | IllegalArgumentException | IllegalStateException e) {
                deadLetter(side, ticket, e);
            }
        }

        private void createTwin(Side side, Ticket ticket) {
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
            // The intent to create is recorded before the create call. Only when an earlier attempt
            // left one behind (a crash, a timeout) can the twin already exist, and only then is it
            // looked up: a first create costs no extra read.
            Optional<OutboxEntry> earlier = sync.store().outbox().findByKey(sync.tenant(), correlationId);
            OutboxEntry intent = earlier.orElseGet(() -> sync.store().outbox().enqueue(new NewOutboxEntry(
                    sync.tenant(), sync.syncId(), settings.connection(target), "create-ticket", correlationId,
                    "twin of " + ticket.ref())));
            Optional<Ticket> existing = earlier.isEmpty() ? Optional.empty()
                    : call(target, "find twin", () -> sink(target).findByCorrelationId(correlationId));
            List<Comment> fresh = newComments(side, ticket);
            ExternalRef twin;
            FieldSnapshot twinSnapshot;
            if (existing.isPresent()) {
                twin = existing.get().ref();
                twinSnapshot = FieldSnapshot.of(existing.get());
                audit(target, twin.id(), "relink", "", "twin of " + ticket.ref() + " found by correlation id "
                        + correlationId + " (created before a restart)");
            } else {
                twin = call(target, "create ticket", () -> sink(target).create(content, correlationId));
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
                twinSnapshot = fresh.isEmpty() && twinReadSoon(target) ? FieldSnapshot.provisional(sent)
                        : FieldSnapshot.of(readBack(target, twin.id(), sent));
            }
            Link link = storeLink(side, ticket.ref(), twin, correlationId, FieldSnapshot.of(ticket), twinSnapshot);
            sync.store().outbox().markDone(intent.id(), twin.toString());
            if (settings.backLink() && existing.isEmpty() && settings.writes(side)) {
                // opt-in per sync: one more write per ticket, which a tight quota may not afford
                call(side, "add back-link", () -> sink(side).addComment(ticket.ref().id(), new Comment(null,
                        HUB, CommentCopy.backLink(twin), sync.clock().instant(), Visibility.INTERNAL)));
                audit(side, ticket.ref().id(), "back-link", "comment", "internal note naming twin " + twin);
            }
            if (!fresh.isEmpty()) {
                copyComments(side, ticket, link, fresh, twin.id(), existing.isPresent());
            }
            if (existing.isPresent()) {
                sync.summary().addUnchanged(1);
            }
        }

        private void relink(Side side, Ticket twin, String originId) {
            Side origin = side.other();
            ExternalRef originRef = ExternalRef.of(sync.pluginOf(settings.connection(origin)),
                    settings.connection(origin), originId);
            FieldSnapshot snapshot = FieldSnapshot.of(twin);
            storeLink(origin, originRef, twin.ref(), twin.correlationId(), snapshot, snapshot);
            audit(side, twin.ref().id(), "relink", "", "own twin of " + originRef + " recognised by correlation id");
            sync.summary().addUnchanged(1);
        }

        /**
         * Brings a linked pair in step; true when it checked the ticket against its twin (read it
         * and wrote what changed), false when it read no twin: nothing changed, or the twin is gone.
         */
        private boolean reconcile(Side side, Ticket ticket, Link link) {
            Side other = side.other();
            FieldSnapshot mine = FieldSnapshot.parse(version(link, side));
            FieldSnapshot theirs = FieldSnapshot.parse(version(link, other));
            if (mine.isProvisional() && untouchedSinceCreated(ticket)) {
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
            if (changedHere.isEmpty() && newComments.isEmpty()) {
                LOG.debug("Sync {}: {} matches its snapshot and has no new comments", sync.syncId(), ticket.ref());
                if (mine.isProvisional()) {
                    keepAsSeen(link, side, ticket);
                }
                sync.summary().addUnchanged(1);
                return false;
            }
            String twinId = ref(link, other).recordId();
            Optional<Ticket> twinNow = call(other, "read twin", () -> source(other).fetch(twinId));
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
