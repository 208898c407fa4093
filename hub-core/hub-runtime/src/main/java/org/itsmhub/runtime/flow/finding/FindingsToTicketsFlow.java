package org.itsmhub.runtime.flow.finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.ExchangeProperty;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Level;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Severity;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.flow.CursorPages;
import org.itsmhub.runtime.flow.RejectedRecords;
import org.itsmhub.runtime.flow.OpenDeadLetters;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.FindingTicket;
import org.itsmhub.runtime.store.NewAuditEntry;
import org.itsmhub.runtime.store.NewDeadLetter;
import org.itsmhub.runtime.store.NewOutboxEntry;
import org.itsmhub.runtime.store.OutboxEntry;
import org.itsmhub.runtime.store.OutboxStatus;
import org.itsmhub.runtime.store.TrackedFinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code findings-to-tickets} flow: turns the findings of one tenant's signal
 * sources into exactly one ticket per group (finding, asset or vulnerability) in the tenant's ticket
 * system, and resolves the ticket only once the problem verifiably went away (see
 * {@code routes/findings-to-tickets.yaml} for the parameters).
 *
 * <p>Each cycle reads every source's findings since its cursor, page by page. For each page it
 * updates the stored state of every finding on it (deduplicated by the finding's stable key) and
 * counts observations: a finding reported present resets its count of clean observations; one
 * reported cleared, or (for a source that clears {@link FindingSource.Clearing#BY_ABSENCE by absence})
 * missing from a complete observation of its asset, adds one — each observation once, however
 * often the source repeats it. A finding whose asset was not observed does not count as cleared.
 * Only the groups whose findings changed are then brought to their tickets: created with the
 * correlation id in the create call (the intent goes to the outbox first, so a crash never yields a
 * duplicate), updated only when their content changed, resolved with a comment saying what was
 * observed, reopened or replaced when the problem comes back. A ticket a human resolved or cancelled
 * is respected. Every write goes to the audit log; a group that cannot be written is dead-lettered
 * and the others keep flowing.
 */
public final class FindingsToTicketsFlow {

    /** The name route templates use to call this bean. */
    public static final String BEAN_NAME = "findingsToTickets";

    private static final Logger LOG = LoggerFactory.getLogger(FindingsToTicketsFlow.class);
    private static final int MAX_SECTIONS = 25;
    private static final int MAX_TITLE = 150;
    private static final Person HUB = new Person(null, "ITSM Hub", null);
    /** Dead letters name a group as {@code finding:<group key>}, which replays it as a FINDING hint. */
    private static final String RECORD_PREFIX = "finding:";
    /** Correlation ids per lookup, as {@link TicketSink#findByCorrelationIds} promises its connectors. */
    private static final int MAX_LOOKUP = 100;

    private final ConnectorCalls calls;

    public FindingsToTicketsFlow(ConnectorCalls calls) {
        this.calls = calls;
    }

    /** One cycle of the flow. */
    public void run(@ExchangeProperty(SyncContext.EXCHANGE_PROPERTY) SyncContext sync) {
        Cycle cycle = new Cycle(sync, FindingsToTicketsSettings.from(sync));
        if (!sync.hints().isEmpty()) {
            // a dead letter replayed by an admin: just that group, from what the hub knows of it
            for (ChangeHint hint : sync.hints().items()) {
                if (hint.kind() == ChangeHint.Kind.FINDING) {
                    cycle.bringToTicket(hint.id(), new GroupChange());
                }
            }
            return;
        }
        cycle.retryDeadLetters();
        for (String source : cycle.settings.sourceConnections()) {
            cycle.readSource(source);
        }
    }

    /** What one page did to a ticket group: its findings changed, and maybe one came back. */
    private static final class GroupChange {
        boolean recurred;
        /** Findings read this cycle that changed the group; each counts with the group's ticket write. */
        int findings;
        final List<String> cleared = new ArrayList<>();
    }

    private final class Cycle {
        private final SyncContext sync;
        private final FindingsToTicketsSettings settings;
        private final String stream;
        private final OpenDeadLetters letters;
        /** How many records the ticket write at hand decides for (see {@link #bringToTicket}). */
        private long weight = 1;
        /** Correlation ids the desk was asked about this cycle, and the tickets it holds for them. */
        private final Set<String> answered = new HashSet<>();
        private final Map<String, Ticket> found = new HashMap<>();

        Cycle(SyncContext sync, FindingsToTicketsSettings settings) {
            this.sync = sync;
            this.settings = settings;
            this.stream = "findings-to-tickets:" + sync.syncId();
            this.letters = OpenDeadLetters.load(sync);
        }

        /**
         * Groups that could not be written in an earlier cycle are tried again first: their findings
         * may never change again, so waiting for a change would leave them without a ticket. One that
         * goes through now resolves its letter.
         */
        void retryDeadLetters() {
            Set<String> groups = new LinkedHashSet<>();
            for (DeadLetter letter : letters.letters()) {
                if (letter.connectionId().equals(settings.ticketConnection())
                        && letter.recordRef().startsWith(RECORD_PREFIX)) {
                    groups.add(letter.recordRef().substring(RECORD_PREFIX.length()));
                }
            }
            lookUpTickets(groups);
            // taken up again without a new finding: bringToTicket counts each as read once
            groups.forEach(group -> bringToTicket(group, new GroupChange()));
        }

        void readSource(String connection) {
            FindingSource source = sync.capability(connection, "source-connections", FindingSource.class);
            FindingSource.Clearing clearing = call(connection, "clearing", source::clearing);
            CursorPages.read(sync, connection, stream, from -> call(connection, "read findings",
                    () -> source.readFindings(new ReadRequest(from, Map.of(), settings.pageSize()))), page -> {
                        new RejectedRecords(sync, letters, "finding").deadLetter(connection, page.rejected());
                        Map<String, GroupChange> changed = observe(connection, clearing, page.items());
                        lookUpTickets(changed.keySet());
                        changed.forEach(this::bringToTicket);
                    });
        }

        /**
         * Looks up, in one lookup per {@value #MAX_LOOKUP} groups, the tickets the desk holds for the
         * groups that may get a new ticket: those the store has no ticket for (a lost or restored
         * store knows nothing of tickets created after its copy), and, under the new-ticket policy,
         * those whose ticket is closed. A group with an open ticket costs no lookup, so a quiet
         * cycle makes none. A ticket found closed may have had a successor (the problem came back
         * under the new-ticket policy), so the next generation is asked for too, as long as any is
         * found closed. A lookup that fails answers nothing: each such group then looks for its
         * ticket alone before its create, and is dead-lettered if that fails too.
         */
        private void lookUpTickets(Set<String> groups) {
            Map<String, Integer> next = new LinkedHashMap<>(); // group -> generation to ask for
            for (String group : groups) {
                Optional<FindingTicket> t = sync.store().findings().ticket(sync.tenant(), sync.syncId(), group);
                if (t.isEmpty()) {
                    next.put(group, 1);
                } else if (settings.recurrence() == FindingsToTicketsSettings.Recurrence.NEW_TICKET
                        && (t.get().status() == FindingTicket.Status.RESOLVED
                                || t.get().status() == FindingTicket.Status.CLOSED_BY_HUMAN)) {
                    next.put(group, t.get().generation() + 1);
                }
            }
            while (!next.isEmpty()) {
                Map<String, String> groupOf = new LinkedHashMap<>();
                next.forEach((group, generation) -> groupOf.put(correlationId(group, generation), group));
                List<String> ids = List.copyOf(groupOf.keySet());
                try {
                    for (int from = 0; from < ids.size(); from += MAX_LOOKUP) {
                        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_LOOKUP));
                        found.putAll(call(settings.ticketConnection(), "find tickets",
                                () -> sink().findByCorrelationIds(chunk)));
                        answered.addAll(chunk);
                    }
                } catch (ConnectorException e) {
                    LOG.warn("Sync {}: could not look up the tickets of {} findings group(s) in {}; each is looked"
                            + " up alone: {}", sync.syncId(), ids.size(), settings.ticketConnection(), e.getMessage());
                    return;
                }
                Map<String, Integer> successors = new LinkedHashMap<>();
                for (String id : ids) {
                    Ticket t = found.get(id);
                    if (t != null && t.status().isDone()) {
                        successors.put(groupOf.get(id), next.get(groupOf.get(id)) + 1);
                    }
                }
                next = successors;
            }
        }

        /**
         * The ticket the desk holds with this correlation id; asked alone when this cycle's lookup
         * did not answer for it. A failure here fails the group, which is then dead-lettered.
         */
        private Optional<Ticket> ticketWith(String correlationId) {
            if (!answered.contains(correlationId)) {
                Ticket t = call(settings.ticketConnection(), "find ticket",
                        () -> sink().findByCorrelationIds(List.of(correlationId))).get(correlationId);
                answered.add(correlationId);
                if (t != null) {
                    found.put(correlationId, t);
                }
            }
            return Optional.ofNullable(found.get(correlationId));
        }

        /**
         * The newest ticket the desk holds for a group the store has no ticket for, taken as the
         * group's ticket (audited as {@code relink}). Its status is the desk's: an open ticket stays
         * open; a cancelled one stays risk accepted; a resolved or closed one counts as resolved by
         * the hub, since the hub cannot tell who closed it, so a problem present now came back and
         * the recurrence policy applies (reopen, or a new ticket of the next generation, which the
         * lookup already found absent). With no resolution time kept, it does not count as flapping.
         */
        private Optional<FindingTicket> adopt(String group, List<TrackedFinding> active) {
            Ticket latest = null;
            int generation = 0;
            for (int g = 1; ; g++) {
                Optional<Ticket> t = ticketWith(correlationId(group, g));
                if (t.isEmpty()) {
                    break;
                }
                latest = t.get();
                generation = g;
                if (!latest.status().isDone()) {
                    break;
                }
            }
            if (latest == null) {
                return Optional.empty();
            }
            Ticket previous = generation > 1 ? found.get(correlationId(group, generation - 1)) : null;
            String previousId = previous == null ? null : previous.ref().id();
            Instant openedAt = latest.createdAt() != null
                    ? latest.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) : openingTime();
            Content content = content(group, active, openedAt, previousId);
            TicketStatus status = latest.status();
            FindingTicket.Status adopted = status == TicketStatus.CANCELLED ? FindingTicket.Status.RISK_ACCEPTED
                    : status.isDone() ? FindingTicket.Status.RESOLVED : FindingTicket.Status.OPEN;
            // unchanged content is not written again; anything else is rewritten once, as for any open ticket
            boolean same = content.ticket().title().equals(latest.title())
                    && content.ticket().description().equals(latest.description())
                    && content.ticket().priority() == latest.priority();
            String correlationId = correlationId(group, generation);
            audit(latest.ref().id(), "relink", "", "ticket for " + group + " found by correlation id " + correlationId
                    + " (the store had no ticket for it; " + status + " in the desk)");
            ExternalRef ref = latest.ref();
            sync.store().outbox().findByKey(sync.tenant(), correlationId).filter(e -> e.status() != OutboxStatus.DONE)
                    .ifPresent(e -> sync.store().outbox().markDone(e.id(), ref.toString()));
            return Optional.of(sync.store().findings().saveTicket(new FindingTicket(0, sync.tenant(), sync.syncId(),
                    group, settings.ticketConnection(), latest.ref().id(), latest.ref().url(), correlationId, previousId,
                    adopted, content.ticket().priority().name(), same ? content.hash() : "", generation, false, openedAt,
                    null)));
        }

        /** Updates the state of every finding on the page; returns the groups that changed. */
        private Map<String, GroupChange> observe(String connection, FindingSource.Clearing clearing,
                List<Finding> findings) {
            sync.summary().addRead(findings.size());
            Map<String, Finding> byKey = new LinkedHashMap<>();
            for (Finding f : findings) {
                byKey.put(f.key(), f); // a page naming a key twice: the later report wins
            }
            sync.summary().addSkipped(findings.size() - byKey.size());
            Map<String, TrackedFinding> known = sync.store().findings().states(sync.tenant(), sync.syncId(),
                    byKey.keySet());
            Map<String, TrackedFinding> updated = new LinkedHashMap<>();
            Map<String, TrackedFinding> seenAgain = new LinkedHashMap<>();
            Map<String, GroupChange> changed = new LinkedHashMap<>();
            Map<String, Boolean> flapping = new HashMap<>();
            for (Finding f : byKey.values()) {
                TrackedFinding state = known.get(f.key());
                String assetKey = AssetKeys.of(f.asset());
                if (f.state() == FindingState.PRESENT) {
                    present(connection, f, assetKey, state, updated, seenAgain, changed);
                } else if (state == null || !state.isActive()) {
                    sync.summary().addSkipped(1); // nothing open to clear
                } else if (!f.observation().equals(state.lastObservation())) {
                    absent(state, f.observation(), f.lastSeen(), updated, changed, flapping, true);
                } else {
                    sync.summary().addUnchanged(1);
                }
            }
            if (clearing == FindingSource.Clearing.BY_ABSENCE) {
                Map<String, String> observedAssets = new LinkedHashMap<>();
                Map<String, Instant> observedAt = new HashMap<>();
                for (Finding f : byKey.values()) {
                    String assetKey = AssetKeys.of(f.asset());
                    if (assetKey != null && observedAssets.putIfAbsent(assetKey, f.observation()) == null) {
                        observedAt.put(assetKey, f.lastSeen());
                    }
                }
                for (TrackedFinding state : sync.store().findings().activeOfAssets(sync.tenant(), sync.syncId(),
                        connection, observedAssets.keySet())) {
                    String observation = observedAssets.get(state.assetKey());
                    if (!byKey.containsKey(state.key()) && !updated.containsKey(state.key())
                            && !observation.equals(state.lastObservation())) {
                        absent(state, observation, observedAt.get(state.assetKey()), updated, changed, flapping,
                                false);
                    }
                }
            }
            sync.store().findings().saveStates(updated.values());
            sync.store().findings().saveSeenAgain(seenAgain.values());
            return changed;
        }

        private void present(String connection, Finding f, String assetKey, TrackedFinding state,
                Map<String, TrackedFinding> updated, Map<String, TrackedFinding> seenAgain,
                Map<String, GroupChange> changed) {
            boolean qualifies = settings.qualifies(f.kind(), f.severity());
            if (state == null && !qualifies) {
                sync.summary().addSkipped(1); // below the sync's threshold
                return;
            }
            String group = settings.grouping().groupOf(f, assetKey);
            String content = FindingDigest.of(f).toJson();
            if (state == null) {
                updated.put(f.key(), new TrackedFinding(0, sync.tenant(), sync.syncId(), f.key(), connection, assetKey,
                        group, TrackedFinding.Status.ACTIVE, f.severity().name(), 0, f.observation(),
                        f.firstSeen() != null ? f.firstSeen() : f.lastSeen(), f.lastSeen(), null, content));
                changed.computeIfAbsent(group, g -> new GroupChange()).findings++;
                return;
            }
            boolean recurred = !state.isActive();
            boolean newContent = !FindingDigest.sameText(content, state.content()) || !group.equals(state.groupKey());
            boolean newObservation = !f.observation().equals(state.lastObservation());
            if (!recurred && !newContent && state.absentCount() == 0) {
                if (newObservation) { // seen again, unchanged: only the observation moves
                    seenAgain.put(f.key(), new TrackedFinding(state.id(), state.tenantId(), state.syncId(), state.key(),
                            state.sourceConnectionId(), state.assetKey(), state.groupKey(), state.status(),
                            state.severity(), 0, f.observation(), state.firstSeen(), f.lastSeen(), null, state.content()));
                }
                sync.summary().addUnchanged(1);
                return;
            }
            updated.put(f.key(), new TrackedFinding(state.id(), state.tenantId(), state.syncId(), state.key(),
                    state.sourceConnectionId(), assetKey, group, TrackedFinding.Status.ACTIVE, f.severity().name(), 0,
                    f.observation(), state.firstSeen(), f.lastSeen(), null, content));
            if (recurred || newContent) {
                GroupChange change = changed.computeIfAbsent(group, g -> new GroupChange());
                change.recurred |= recurred;
                change.findings++;
                if (!group.equals(state.groupKey())) {
                    changed.computeIfAbsent(state.groupKey(), g -> new GroupChange());
                }
            } else {
                sync.summary().addUnchanged(1); // seen again before it was absent long enough to clear
            }
        }

        /** @param read whether the source reported the finding absent (rather than the hub inferring it) */
        private void absent(TrackedFinding state, String observation, Instant at, Map<String, TrackedFinding> updated,
                Map<String, GroupChange> changed, Map<String, Boolean> flapping, boolean read) {
            int count = state.absentCount() + 1;
            // a group whose problem came back soon after the hub closed it must stay away twice as long
            boolean flaps = flapping.computeIfAbsent(state.groupKey(), g -> sync.store().findings()
                    .ticket(sync.tenant(), sync.syncId(), g).map(FindingTicket::flapping).orElse(false));
            int needed = flaps ? settings.clearAfter() * 2 : settings.clearAfter();
            boolean cleared = count >= needed;
            Instant when = at != null ? at : sync.clock().instant();
            updated.put(state.key(), new TrackedFinding(state.id(), state.tenantId(), state.syncId(), state.key(),
                    state.sourceConnectionId(), state.assetKey(), state.groupKey(),
                    cleared ? TrackedFinding.Status.CLEARED : TrackedFinding.Status.ACTIVE, state.severity(), count,
                    observation, state.firstSeen(), state.lastSeen(), cleared ? when : null, state.content()));
            if (!cleared && read) {
                sync.summary().addUnchanged(1); // one absence more, not yet enough to clear
            }
            if (cleared) {
                GroupChange change = changed.computeIfAbsent(state.groupKey(), g -> new GroupChange());
                change.findings += read ? 1 : 0;
                change.cleared.add(
                        FindingDigest.parse(state.content()).title() + " (key " + state.key() + "): absent in " + count
                                + " consecutive observations, the latest '" + observation + "' at " + when);
            }
        }

        /**
         * Brings one group's ticket in line with its findings; if that worked, its open letter is
         * resolved. The outcome (created, updated, unchanged, failed) counts once for every finding read
         * this cycle that changed the group, or once, as a record read, for a group taken up without one
         * (a retried dead letter, a clearing the hub inferred).
         */
        private void bringToTicket(String group, GroupChange change) {
            if (change.findings == 0) {
                sync.summary().addRead(1);
            }
            long failedBefore = sync.summary().failed();
            weight = Math.max(1, change.findings);
            try {
                writeGroup(group, change);
            } finally {
                weight = 1;
            }
            if (sync.summary().failed() == failedBefore) {
                letters.synced(settings.ticketConnection(), RECORD_PREFIX + group, RECORD_PREFIX + group);
            }
        }

        private void writeGroup(String group, GroupChange change) {
            List<TrackedFinding> members = sync.store().findings().group(sync.tenant(), sync.syncId(), group);
            List<TrackedFinding> active = members.stream().filter(TrackedFinding::isActive).toList();
            Optional<FindingTicket> ticket = sync.store().findings().ticket(sync.tenant(), sync.syncId(), group);
            try {
                boolean adopted = false;
                if (ticket.isEmpty() && !active.isEmpty()) {
                    ticket = adopt(group, active);
                    adopted = ticket.isPresent();
                }
                if (active.isEmpty()) {
                    if (ticket.isPresent() && ticket.get().status() == FindingTicket.Status.OPEN) {
                        resolve(ticket.get(), change);
                    } else {
                        sync.summary().addUnchanged(weight);
                    }
                    return;
                }
                Content content = content(group, active, ticket.map(FindingTicket::openedAt)
                        .orElse(openingTime()), ticket.map(FindingTicket::previousTicketId).orElse(null));
                if (ticket.isEmpty()) {
                    create(group, content, 1, null, false);
                    return;
                }
                FindingTicket t = ticket.get();
                switch (t.status()) {
                    // an adopted ticket was just read: what differs is written without reading it again
                    case OPEN -> {
                        if (adopted && !content.hash().equals(t.contentHash())) {
                            writeContent(t, content);
                        } else {
                            keepUpToDate(t, content);
                        }
                    }
                    case RESOLVED -> cameBack(t, content, true, false);
                    case CLOSED_BY_HUMAN -> {
                        if (change.recurred) {
                            cameBack(t, content, false, false);
                        } else if (settings.reopenClosedByHuman()) {
                            cameBack(t, content, false, true);
                        } else {
                            sync.summary().addUnchanged(weight); // closed by a human while the problem persists
                        }
                    }
                    case RISK_ACCEPTED -> {
                        if (change.recurred) {
                            audit(t.ticketId(), "risk-accepted", "", "problem came back; the ticket stays closed"
                                    + " because a human accepted the risk");
                        }
                        sync.summary().addUnchanged(weight);
                    }
                    default -> throw new IllegalStateException("unhandled ticket status " + t.status());
                }
            } catch (ConnectorException | IllegalArgumentException | IllegalStateException e) {
                LOG.warn("Sync {}: findings group {} could not be written: {}", sync.syncId(), group, e.getMessage());
                sync.store().deadLetters().add(new NewDeadLetter(sync.tenant(), sync.syncId(),
                        settings.ticketConnection(), RECORD_PREFIX + group, group, String.valueOf(e.getMessage()),
                        e.getClass().getSimpleName()));
                sync.summary().addFailed(weight);
            }
        }

        private void create(String group, Content content, int generation, FindingTicket previous, boolean flapping) {
            String correlationId = correlationId(group, generation);
            // As in the ticket sync: the intent goes to the outbox first. The ticket is looked for
            // first unless this cycle's lookup already answered that the desk has none (a lookup made
            // after any earlier attempt, so an intent left behind by a crash needs no second one).
            Optional<OutboxEntry> earlier = sync.store().outbox().findByKey(sync.tenant(), correlationId);
            Optional<Ticket> existing = ticketWith(correlationId);
            OutboxEntry intent = earlier.orElseGet(() -> sync.store().outbox().enqueue(new NewOutboxEntry(sync.tenant(),
                    sync.syncId(), settings.ticketConnection(), "create-ticket", correlationId, "ticket for " + group)));
            ExternalRef ref;
            if (existing.isPresent()) {
                ref = existing.get().ref();
                audit(ref.id(), "relink", "", "ticket for " + group + " found by correlation id " + correlationId
                        + (earlier.isPresent() ? " (created before a restart)" : " (the store had no ticket for it)"));
                sync.summary().addUnchanged(weight);
            } else {
                // an attempt that failed retriably (a timeout) may have created the ticket all the same:
                // every later attempt looks for it first
                answered.remove(correlationId);
                boolean[] attempted = {false};
                ref = call(settings.ticketConnection(), "create ticket", () -> {
                    if (attempted[0]) {
                        Ticket made = sink().findByCorrelationIds(List.of(correlationId)).get(correlationId);
                        if (made != null) {
                            return made.ref();
                        }
                    }
                    attempted[0] = true;
                    return sink().create(content.ticket(), correlationId);
                });
                audit(ref.id(), "create", "title,description,priority", "ticket for " + content.count()
                        + " finding(s), " + content.ticket().priority() + (previous == null ? ""
                                : "; the problem came back after ticket " + previous.ticketId() + " was closed"));
                sync.summary().addCreated(weight);
            }
            sync.store().findings().saveTicket(new FindingTicket(previous == null ? 0 : previous.id(), sync.tenant(),
                    sync.syncId(), group, settings.ticketConnection(), ref.id(), ref.url(), correlationId,
                    previous == null ? null : previous.ticketId(), FindingTicket.Status.OPEN,
                    content.ticket().priority().name(), content.hash(), generation, flapping, content.openedAt(), null));
            sync.store().outbox().markDone(intent.id(), ref.toString());
        }

        private void keepUpToDate(FindingTicket t, Content content) {
            if (content.hash().equals(t.contentHash())) {
                sync.summary().addUnchanged(weight); // nothing to write: not even worth a read
                return;
            }
            Optional<Ticket> now = call(settings.ticketConnection(), "read ticket", () -> source().fetch(t.ticketId()));
            if (now.isEmpty()) {
                audit(t.ticketId(), "ticket-lost", "", "the ticket vanished or is no longer readable; not recreated");
                sync.store().deadLetters().add(new NewDeadLetter(sync.tenant(), sync.syncId(), settings.ticketConnection(),
                        RECORD_PREFIX + t.groupKey(), t.groupKey(), "ticket " + t.ticketId()
                                + " vanished or is no longer readable", "TicketLost"));
                sync.summary().addFailed(weight);
                return;
            }
            TicketStatus status = now.get().status();
            if (status.isDone()) {
                FindingTicket.Status decided = status == TicketStatus.CANCELLED ? FindingTicket.Status.RISK_ACCEPTED
                        : FindingTicket.Status.CLOSED_BY_HUMAN;
                FindingTicket closed = sync.store().findings().saveTicket(t.with(decided, sync.clock().instant()));
                if (decided == FindingTicket.Status.CLOSED_BY_HUMAN && settings.reopenClosedByHuman()) {
                    cameBack(closed, content, false, true);
                    return;
                }
                audit(t.ticketId(), decided == FindingTicket.Status.RISK_ACCEPTED ? "risk-accepted" : "closed-by-human",
                        "status", "a human set the ticket to " + status + " while the problem persists; the hub"
                                + " respects it and does not reopen it while the problem persists");
                sync.summary().addUnchanged(weight);
                return;
            }
            writeContent(t, content);
        }

        private void writeContent(FindingTicket t, Content content) {
            call(settings.ticketConnection(), "update ticket", () -> {
                sink().update(t.ticketId(), content.ticket(), java.util.EnumSet.of(TicketField.TITLE,
                        TicketField.DESCRIPTION, TicketField.PRIORITY));
                return null;
            });
            audit(t.ticketId(), "update", "title,description,priority", content.count() + " active finding(s), "
                    + content.ticket().priority());
            sync.store().findings().saveTicket(t.withContent(content.ticket().priority().name(), content.hash()));
            sync.summary().addUpdated(weight);
        }

        private void resolve(FindingTicket t, GroupChange change) {
            Optional<Ticket> now = call(settings.ticketConnection(), "read ticket", () -> source().fetch(t.ticketId()));
            if (now.isPresent() && now.get().status().isDone()) {
                // a human closed it before the hub could: nothing to write, but remember who closed it
                FindingTicket.Status decided = now.get().status() == TicketStatus.CANCELLED
                        ? FindingTicket.Status.RISK_ACCEPTED : FindingTicket.Status.CLOSED_BY_HUMAN;
                sync.store().findings().saveTicket(t.with(decided, sync.clock().instant()));
                audit(t.ticketId(), "cleared", "", "the problem was verified gone; the ticket was already "
                        + now.get().status() + " by a human");
                sync.summary().addUnchanged(weight);
                return;
            }
            String note = "ITSM Hub resolved this ticket: the problem was verified gone.\n"
                    + String.join("\n", change.cleared.isEmpty() ? List.of("Every finding of this ticket cleared.")
                            : change.cleared);
            call(settings.ticketConnection(), "add comment", () -> sink().addComment(t.ticketId(),
                    new Comment(null, HUB, note, sync.clock().instant(), Visibility.PUBLIC)));
            call(settings.ticketConnection(), "resolve ticket", () -> {
                sink().changeStatus(t.ticketId(), TicketStatus.RESOLVED, note);
                return null;
            });
            audit(t.ticketId(), "resolve", "status", note);
            sync.store().findings().saveTicket(t.with(FindingTicket.Status.RESOLVED, sync.clock().instant()));
            sync.summary().addUpdated(weight);
        }

        /** The problem is back after the ticket was closed: reopen it or open a new one, as the policy says. */
        private void cameBack(FindingTicket t, Content content, boolean closedByHub, boolean persists) {
            Instant now = sync.clock().instant();
            boolean flapping = closedByHub && t.resolvedAt() != null
                    && t.resolvedAt().plus(settings.flapWindow()).isAfter(now);
            if (persists || flapping || settings.recurrence() == FindingsToTicketsSettings.Recurrence.REOPEN) {
                String note = (persists ? "ITSM Hub reopened this ticket: it was closed while the problem persists"
                        + " (policy reopen-closed-by-human)." : "ITSM Hub reopened this ticket: the problem came back at "
                        + now + ".")
                        + (flapping ? " It came back within " + settings.flapWindow() + " of being resolved, so the"
                                + " hub now waits for twice as many clean observations before resolving it again." : "");
                call(settings.ticketConnection(), "reopen ticket", () -> {
                    sink().changeStatus(t.ticketId(), TicketStatus.OPEN, note);
                    return null;
                });
                call(settings.ticketConnection(), "add comment", () -> sink().addComment(t.ticketId(),
                        new Comment(null, HUB, note, now, Visibility.PUBLIC)));
                audit(t.ticketId(), "reopen", "status", note);
                FindingTicket reopened = t.with(FindingTicket.Status.OPEN, null).withFlapping(flapping || t.flapping());
                sync.store().findings().saveTicket(reopened);
                if (!content.hash().equals(t.contentHash())) {
                    writeContent(reopened, content);
                } else {
                    sync.summary().addUpdated(weight);
                }
                return;
            }
            Content fresh = content(t.groupKey(), content.active(), openingTime(), t.ticketId());
            create(t.groupKey(), fresh, t.generation() + 1, t, false);
        }

        private Content content(String group, List<TrackedFinding> active, Instant openedAt, String previousTicketId) {
            List<TrackedFinding> sorted = new ArrayList<>(active);
            sorted.sort(Comparator.comparing((TrackedFinding s) -> Severity.valueOf(s.severity())).reversed()
                    .thenComparing(TrackedFinding::key));
            Priority priority = null;
            Level impact = null;
            Level urgency = null;
            Instant firstSeen = null;
            Set<String> assets = new LinkedHashSet<>();
            Set<String> sources = new LinkedHashSet<>();
            List<FindingDigest> digests = new ArrayList<>();
            for (TrackedFinding s : sorted) {
                FindingDigest d = FindingDigest.parse(s.content());
                digests.add(d);
                Level i = settings.impactOf(d.asset(), d.title());
                Level u = FindingsToTicketsSettings.urgencyOf(Severity.valueOf(s.severity()));
                Priority p = settings.priority(i, u);
                if (priority == null || p.number() < priority.number()) {
                    priority = p;
                    impact = i;
                    urgency = u;
                }
                firstSeen = firstSeen == null || s.firstSeen().isBefore(firstSeen) ? s.firstSeen() : firstSeen;
                if (d.asset() != null) {
                    assets.add(d.asset());
                }
                sources.add(s.sourceConnectionId());
            }
            FindingDigest top = digests.get(0);
            String title = switch (settings.grouping()) {
                case FINDING -> top.asset() == null ? top.title() : top.title() + " on " + top.asset();
                case ASSET -> digests.size() == 1 ? top.title() + (top.asset() == null ? "" : " on " + top.asset())
                        : digests.size() + " findings on " + (top.asset() == null ? "one source record" : top.asset());
                case VULNERABILITY -> top.title() + (assets.size() <= 1 ? (top.asset() == null ? "" : " on "
                        + top.asset()) : " on " + assets.size() + " assets");
            };
            java.time.Duration target = settings.resolutionTargets().get(priority);
            StringBuilder d = new StringBuilder();
            d.append("ITSM Hub opened this ticket for ").append(digests.size()).append(" finding(s) from ")
                    .append(String.join(", ", sources)).append(".\n");
            d.append("Priority ").append(priority).append(": impact ").append(impact).append(" x urgency ").append(urgency)
                    .append(". Resolve by ").append(openedAt.plus(target)).append(" (").append(priority)
                    .append(" target ").append(human(target)).append(").\n");
            d.append("First seen: ").append(firstSeen).append(".\n");
            if (previousTicketId != null && !previousTicketId.isBlank()) {
                d.append("Previous ticket for this problem: ").append(previousTicketId).append(".\n");
            }
            d.append("Resolved automatically once the problem has been observed absent in ")
                    .append(settings.clearAfter()).append(" consecutive observations.\n");
            StringBuilder stable = new StringBuilder(d); // what decides whether the ticket needs rewriting
            for (int i = 0; i < digests.size() && i < MAX_SECTIONS; i++) {
                FindingDigest digest = digests.get(i);
                d.append("\n--- ").append(digest.section());
                stable.append("\n--- ").append(digest.section());
                if (digest.source() != null) {
                    d.append("Source: ").append(digest.source()).append('\n');
                }
            }
            if (digests.size() > MAX_SECTIONS) {
                String more = "\n... and " + (digests.size() - MAX_SECTIONS) + " more finding(s).\n";
                d.append(more);
                stable.append(more);
            }
            Ticket ticket = Ticket.builder().title(FindingDigest.cut(title, MAX_TITLE)).description(d.toString())
                    .status(TicketStatus.NEW).priority(priority).impact(impact).urgency(urgency)
                    .assignmentGroup(settings.assignmentGroup()).build();
            String hash = sha256(ticket.title() + "\u0000" + stable + "\u0000" + ticket.priority() + "\u0000"
                    + ticket.assignmentGroup());
            return new Content(ticket, hash, digests.size(), openedAt, active);
        }

        /**
         * Now, to the second: the opening time is stored and shown in the due date, and a stored
         * value that read back differently would make every later cycle see new content.
         */
        private Instant openingTime() {
            return sync.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }

        private void audit(String ticketId, String action, String fields, String detail) {
            sync.store().auditLog().append(new NewAuditEntry(sync.tenant(), sync.syncId(), "sync:" + sync.syncId(),
                    sync.pluginOf(settings.ticketConnection()), settings.ticketConnection(), ticketId, action, fields,
                    detail));
        }

        private <T> T call(String connection, String operation, Supplier<T> call) {
            return calls.call(sync.tenant(), connection, operation, call);
        }

        private TicketSink sink() {
            return sync.capability("ticket-connection", TicketSink.class);
        }

        private TicketSource source() {
            return sync.capability("ticket-connection", TicketSource.class);
        }

        private String correlationId(String group, int generation) {
            return "ih:" + sync.syncId() + ":F:" + sha256(group).substring(0, 24) + ":" + generation;
        }
    }

    /** A group's ticket as the hub would write it now. */
    private record Content(Ticket ticket, String hash, int count, Instant openedAt, List<TrackedFinding> active) {
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String human(java.time.Duration d) {
        if (d.toDays() > 0 && d.equals(java.time.Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.equals(java.time.Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        return d.toMinutes() + "m";
    }
}
