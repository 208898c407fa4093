package org.itsmhub.runtime.flow.ticket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;

/**
 * An in-memory ticket system for flow tests: every change (by a "human" or by the hub) moves a
 * global sequence, which is the change feed's cursor; every call is counted by kind.
 */
final class FakeTicketSystem implements Connector, TicketSource, TicketSink {

    enum Call { READ_PAGE, FETCH, READ_COMMENTS, FIND, FIND_MANY, CREATE, UPDATE, STATUS, COMMENT }

    private static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000L);

    private final String system;
    private final String connection;
    private final Map<String, Ticket> tickets = new LinkedHashMap<>();
    private final Map<String, Long> sequence = new LinkedHashMap<>();
    private final Map<String, List<Comment>> comments = new LinkedHashMap<>();
    private final Map<Call, Integer> calls = new EnumMap<>(Call.class);
    private long seq;
    private int nextId = 1;
    private Predicate<Ticket> rejectOnCreate = t -> false;
    private Set<TicketStatus> statusesOnCreate = EnumSet.of(TicketStatus.NEW, TicketStatus.OPEN);
    private boolean notesOnStatusChange;
    private List<org.itsmhub.api.connector.RejectedRecord> unreadable = List.of();
    private final Map<TicketStatus, TicketStatus> sameVendorStatus = new EnumMap<>(TicketStatus.class);
    private int createsThatTimeOut;
    private int createsThatTimeOutUndone;
    private int searchLag;
    /** Tickets the search does not show yet, with how many more lookups will miss them. */
    private final Map<String, Integer> notIndexed = new LinkedHashMap<>();
    private boolean findsNothing;
    private boolean lookupsFail;

    FakeTicketSystem(String system, String connection) {
        this.system = system;
        this.connection = connection;
    }

    // --- what a human does in the vendor's UI ---------------------------------------------------

    String humanCreates(String title, TicketStatus status) {
        String id = system.toUpperCase() + "-" + nextId++;
        humanPause();
        put(Ticket.builder().ref(ref(id)).title(title).description("Described by a human").status(status)
                .priority(org.itsmhub.api.model.Priority.P3).assignmentGroup("Service Desk").createdAt(peek()).build());
        return id;
    }

    void humanEdits(String id, java.util.function.UnaryOperator<Ticket.Builder> edit) {
        humanPause();
        put(edit.apply(tickets.get(id).toBuilder()).build());
    }

    String humanComments(String id, String author, String body, Visibility visibility) {
        humanPause();
        String commentId = "c" + nextId++;
        comments.computeIfAbsent(id, k -> new ArrayList<>()).add(new Comment(ExternalRef.of(system, connection,
                commentId), Person.named(author), body, now(), visibility));
        touch(id);
        return commentId;
    }

    void humanDeletes(String id) {
        tickets.remove(id);
    }

    /** Like ServiceNow or Freshdesk: the create call itself sets any of these statuses. */
    void takesStatusesOnCreate(Set<TicketStatus> statuses) {
        this.statusesOnCreate = statuses;
    }

    /**
     * Like Freshdesk and Jira: a status change adds the hub's note as an internal comment, and a
     * resolution note as a public one.
     */
    void writesNotesOnStatusChange() {
        this.notesOnStatusChange = true;
    }

    /** Like Freshdesk's one "Open" for new, open and in progress: {@code status} is stored as {@code as}. */
    void showsStatusAs(TicketStatus status, TicketStatus as) {
        sameVendorStatus.put(status, as);
    }

    /** The next page read carries these records the connector could not read. */
    void cannotRead(org.itsmhub.api.connector.RejectedRecord... records) {
        this.unreadable = List.of(records);
    }

    /**
     * The next {@code n} creates create the ticket, then fail as a timeout would: the answer never
     * reaches the hub (a slow vendor, a frozen node, a lost connection).
     */
    void timeOutAfterNextCreates(int n) {
        this.createsThatTimeOut = n;
    }

    /** The next {@code n} creates fail as a timeout would, before the vendor created anything. */
    void timeOutBeforeNextCreates(int n) {
        this.createsThatTimeOutUndone = n;
    }

    /**
     * Like Freshdesk search or Jira JQL, whose index lags behind: a ticket created from now on is
     * missed by the next {@code lookups} lookups by correlation id.
     */
    void searchLagsBy(int lookups) {
        this.searchLag = lookups;
    }

    /** Lookups by correlation id find nothing (a vendor that lost the field, or cannot search it). */
    void findNothingByCorrelationId() {
        this.findsNothing = true;
    }

    /** Lookups by correlation id fail as a vendor's search does while it is down. */
    void failLookups() {
        this.lookupsFail = true;
    }

    void rejectCreatesWhere(Predicate<Ticket> rule) {
        this.rejectOnCreate = rule;
    }

    /** Plants a ticket as the hub would have created it just before a crash. */
    String plantTwin(Ticket content, String correlationId) {
        return create(content, correlationId).id();
    }

    // --- what the test inspects ------------------------------------------------------------------

    Ticket ticket(String id) {
        return tickets.get(id);
    }

    List<Ticket> tickets() {
        return List.copyOf(tickets.values());
    }

    List<Comment> commentsOf(String id) {
        return List.copyOf(comments.getOrDefault(id, List.of()));
    }

    int calls(Call kind) {
        return calls.getOrDefault(kind, 0);
    }

    int writes() {
        return calls(Call.CREATE) + calls(Call.UPDATE) + calls(Call.STATUS) + calls(Call.COMMENT);
    }

    void resetCalls() {
        calls.clear();
    }

    // --- the connector -------------------------------------------------------------------------

    /** The next page read blocks: it tells {@code entered}, then waits for {@code resume} (a frozen node). */
    void pauseNextRead(java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch resume) {
        pausedRead = new java.util.concurrent.CountDownLatch[] {entered, resume};
    }

    private volatile java.util.concurrent.CountDownLatch[] pausedRead;

    @Override
    public Page<Ticket> readChanges(ReadRequest request) {
        java.util.concurrent.CountDownLatch[] pause = pausedRead;
        if (pause != null) {
            pausedRead = null;
            pause[0].countDown();
            try {
                pause[1].await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        count(Call.READ_PAGE);
        long after = request.cursor() == null ? 0 : Long.parseLong(request.cursor().value());
        List<String> changed = sequence.entrySet().stream().filter(e -> e.getValue() > after)
                .sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .filter(tickets::containsKey).toList();
        List<String> page = changed.subList(0, Math.min(request.pageSize(), changed.size()));
        long last = page.isEmpty() ? after : sequence.get(page.get(page.size() - 1));
        List<org.itsmhub.api.connector.RejectedRecord> rejected = unreadable;
        unreadable = List.of();
        return new Page<>(page.stream().map(tickets::get).toList(), Cursor.of(Long.toString(last)),
                changed.size() > page.size(), rejected);
    }

    @Override
    public Optional<Ticket> fetch(String id) {
        count(Call.FETCH);
        return Optional.ofNullable(tickets.get(id));
    }

    @Override
    public List<Comment> comments(String ticketId) {
        count(Call.READ_COMMENTS);
        return commentsOf(ticketId);
    }

    @Override
    public Set<TicketStatus> statusesOnCreate() {
        return statusesOnCreate;
    }

    @Override
    public ExternalRef create(Ticket ticket, String correlationId) {
        count(Call.CREATE);
        if (rejectOnCreate.test(ticket)) {
            throw new DataMappingException(system + " create ticket failed: HTTP 400 Validation failed: requester is required");
        }
        if (createsThatTimeOutUndone > 0) {
            createsThatTimeOutUndone--;
            throw new RetriableException(system + " create ticket failed: connect timed out");
        }
        String id = system.toUpperCase() + "-" + nextId++;
        if (searchLag > 0) {
            notIndexed.put(id, searchLag);
        }
        // like a vendor: a new record starts in its first status and carries its own creation time
        Instant at = now();
        TicketStatus first = statusesOnCreate.contains(ticket.status()) && ticket.status() != TicketStatus.OPEN
                ? ticket.status() : TicketStatus.NEW;
        tickets.put(id, shown(ticket.toBuilder().ref(ref(id)).correlationId(correlationId).status(first)
                .createdAt(at).updatedAt(at).build()));
        sequence.put(id, ++seq);
        if (createsThatTimeOut > 0) {
            createsThatTimeOut--;
            throw new RetriableException(system + " create ticket failed: timeout after 30 s");
        }
        return ref(id);
    }

    @Override
    public void update(String id, Ticket values, Set<TicketField> fields) {
        count(Call.UPDATE);
        Ticket.Builder b = tickets.get(id).toBuilder();
        for (TicketField f : fields) {
            switch (f) {
                case TITLE -> b.title(values.title());
                case DESCRIPTION -> b.description(values.description());
                case PRIORITY -> b.priority(values.priority());
                case ASSIGNMENT_GROUP -> b.assignmentGroup(values.assignmentGroup());
                default -> throw new IllegalArgumentException("not synced here: " + f);
            }
        }
        put(b.build());
    }

    @Override
    public void changeStatus(String id, TicketStatus status, String note) {
        changeStatus(id, status, note, null);
    }

    @Override
    public void changeStatus(String id, TicketStatus status, String note, String resolutionNote) {
        count(Call.STATUS);
        if (notesOnStatusChange) {
            for (String text : java.util.Arrays.asList(resolutionNote, note)) {
                if (text != null) {
                    comments.computeIfAbsent(id, k -> new ArrayList<>()).add(new Comment(ExternalRef.of(system,
                            connection, "c" + nextId++), Person.named("ITSM Hub"), text, now(),
                            text == resolutionNote ? Visibility.PUBLIC : Visibility.INTERNAL));
                }
            }
        }
        put(tickets.get(id).toBuilder().status(status).build());
    }

    @Override
    public Optional<String> vendorStatusFor(TicketStatus status) {
        return sameVendorStatus.isEmpty() ? Optional.empty()
                : Optional.of(sameVendorStatus.getOrDefault(status, status).name());
    }

    @Override
    public ExternalRef addComment(String ticketId, Comment comment) {
        count(Call.COMMENT);
        String commentId = "c" + nextId++;
        comments.computeIfAbsent(ticketId, k -> new ArrayList<>()).add(new Comment(ExternalRef.of(system, connection,
                commentId), Person.named("ITSM Hub"), comment.body(), now(), comment.visibility()));
        touch(ticketId);
        return ExternalRef.of(system, connection, commentId);
    }

    @Override
    public Optional<Ticket> findByCorrelationId(String correlationId) {
        count(Call.FIND);
        Optional<Ticket> found = oldestWith(correlationId);
        indexCatchesUp();
        return found;
    }

    /** Like a vendor query matching many values: one call for all of them. */
    @Override
    public Map<String, Ticket> findByCorrelationIds(Collection<String> correlationIds) {
        count(Call.FIND_MANY);
        Map<String, Ticket> found = new LinkedHashMap<>();
        correlationIds.forEach(id -> oldestWith(id).ifPresent(t -> found.put(id, t)));
        indexCatchesUp();
        return found;
    }

    private Optional<Ticket> oldestWith(String correlationId) {
        if (lookupsFail) {
            throw new RetriableException(system + " search failed: HTTP 503");
        }
        return findsNothing ? Optional.empty() : tickets.values().stream()
                .filter(t -> correlationId.equals(t.correlationId()) && !notIndexed.containsKey(t.ref().id()))
                .min(Comparator.comparing(Ticket::createdAt).thenComparing(t -> t.ref().id()));
    }

    private void indexCatchesUp() {
        notIndexed.replaceAll((id, misses) -> misses - 1);
        notIndexed.values().removeIf(misses -> misses <= 0);
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        return List.of();
    }

    @Override
    public void close() {
    }

    private void put(Ticket ticket) {
        String id = ticket.ref().id();
        tickets.put(id, shown(ticket.toBuilder().updatedAt(now()).build()));
        sequence.put(id, ++seq);
    }

    private void touch(String id) {
        if (tickets.containsKey(id)) {
            put(tickets.get(id));
        }
    }

    /** The ticket as this system stores it: in its own status, when it has fewer. */
    private Ticket shown(Ticket ticket) {
        if (sameVendorStatus.isEmpty()) {
            return ticket;
        }
        TicketStatus shown = sameVendorStatus.getOrDefault(ticket.status(), ticket.status());
        return ticket.toBuilder().status(shown).vendorStatus(shown.name()).build();
    }

    private ExternalRef ref(String id) {
        return ExternalRef.of(system, connection, id);
    }

    /** The hub's calls follow each other within a second. */
    private static Instant now() {
        return Instant.ofEpochMilli(CLOCK.addAndGet(1000));
    }

    /** A human takes a while between two changes (longer than a create takes to settle). */
    private static void humanPause() {
        CLOCK.addAndGet(60_000);
    }

    private static Instant peek() {
        return Instant.ofEpochMilli(CLOCK.get() + 1000);
    }

    private void count(Call kind) {
        calls.merge(kind, 1, Integer::sum);
    }
}
