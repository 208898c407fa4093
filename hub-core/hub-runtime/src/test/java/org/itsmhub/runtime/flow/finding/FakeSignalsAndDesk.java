package org.itsmhub.runtime.flow.finding;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;

/** In-memory stand-ins for the findings-to-tickets flow: a signal source and a ticket desk. */
final class FakeSignalsAndDesk {

    private FakeSignalsAndDesk() {
    }

    /** A finding source whose pages the test queues; each queued page is served once. */
    static final class Signals implements Connector, FindingSource {
        private final Clearing clearing;
        private final Deque<List<Finding>> pages = new ArrayDeque<>();
        private int served;

        Signals(Clearing clearing) {
            this.clearing = clearing;
        }

        private final java.util.Map<Integer, List<org.itsmhub.api.connector.RejectedRecord>> unreadable =
                new java.util.HashMap<>();

        /** The next observation the source will report (one page). */
        void observes(Finding... findings) {
            pages.add(List.of(findings));
        }

        /** The next page is an observation the source could not read as a whole (e.g. a broken scan export). */
        void cannotRead(org.itsmhub.api.connector.RejectedRecord whole) {
            unreadable.put(served + pages.size(), List.of(whole));
            pages.add(List.of());
        }

        @Override
        public Page<Finding> readFindings(ReadRequest request) {
            List<Finding> page = pages.isEmpty() ? List.of() : pages.poll();
            List<org.itsmhub.api.connector.RejectedRecord> rejected = unreadable.getOrDefault(served, List.of());
            served++;
            return new Page<>(page, Cursor.of("page-" + served), !pages.isEmpty(), rejected);
        }

        @Override
        public Clearing clearing() {
            return clearing;
        }

        @Override
        public List<ConfigProblem> checkConnection() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    /** A ticket desk that counts the calls made to it and lets the test act as a human. */
    static final class Desk implements Connector, TicketSource, TicketSink {
        private final String connection;
        private final Map<String, Ticket> tickets = new LinkedHashMap<>();
        private final Map<String, List<Comment>> comments = new LinkedHashMap<>();
        private final List<String> calls = new ArrayList<>();
        private final Clock clock;
        private int next = 1;
        private boolean failCreates;
        private boolean failLookups;

        Desk(String connection, Clock clock) {
            this.connection = connection;
            this.clock = clock;
        }

        List<Ticket> tickets() {
            return List.copyOf(tickets.values());
        }

        Ticket ticket(String id) {
            return tickets.get(id);
        }

        List<Comment> commentsOf(String id) {
            return comments.getOrDefault(id, List.of());
        }

        /** The calls made so far, e.g. {@code create}, {@code update T1}, and forgets them. */
        List<String> takeCalls() {
            List<String> out = List.copyOf(calls);
            calls.clear();
            return out;
        }

        void humanSetsStatus(String id, TicketStatus status) {
            tickets.put(id, tickets.get(id).toBuilder().status(status).build());
        }

        void failCreates(boolean fail) {
            failCreates = fail;
        }

        /** Every lookup by correlation id fails, as a search the vendor rejects does. */
        void failLookups(boolean fail) {
            failLookups = fail;
        }

        /** The desk as restored from a backup: only the tickets it held then. */
        void forgetAllBut(Collection<String> ids) {
            tickets.keySet().retainAll(ids);
        }

        @Override
        public Page<Ticket> readChanges(ReadRequest request) {
            throw new UnsupportedOperationException("the findings flow never reads changes");
        }

        @Override
        public Optional<Ticket> fetch(String id) {
            calls.add("fetch " + id);
            return Optional.ofNullable(tickets.get(id));
        }

        @Override
        public List<Comment> comments(String ticketId) {
            calls.add("comments " + ticketId);
            return commentsOf(ticketId);
        }

        @Override
        public ExternalRef create(Ticket ticket, String correlationId) {
            calls.add("create");
            if (failCreates) {
                throw new ConnectorException("Invalid request: field 'caller_id' is mandatory");
            }
            String id = "T" + next++;
            ExternalRef ref = ExternalRef.of("desk", connection, id);
            tickets.put(id, ticket.toBuilder().ref(ref).correlationId(correlationId).createdAt(clock.instant()).build());
            return ref;
        }

        @Override
        public void update(String id, Ticket values, Set<TicketField> fields) {
            calls.add("update " + id);
            Ticket.Builder b = tickets.get(id).toBuilder();
            if (fields.contains(TicketField.TITLE)) {
                b.title(values.title());
            }
            if (fields.contains(TicketField.DESCRIPTION)) {
                b.description(values.description());
            }
            if (fields.contains(TicketField.PRIORITY)) {
                b.priority(values.priority());
            }
            tickets.put(id, b.build());
        }

        @Override
        public void changeStatus(String id, TicketStatus status, String note) {
            calls.add("status " + id + " " + status);
            tickets.put(id, tickets.get(id).toBuilder().status(status).build());
        }

        @Override
        public ExternalRef addComment(String ticketId, Comment comment) {
            calls.add("comment " + ticketId);
            comments.computeIfAbsent(ticketId, k -> new ArrayList<>()).add(comment);
            return ExternalRef.of("desk", connection, ticketId + "-c" + comments.get(ticketId).size());
        }

        @Override
        public Optional<Ticket> findByCorrelationId(String correlationId) {
            calls.add("find");
            if (failLookups) {
                throw new ConnectorException("search failed: 400 Bad Request");
            }
            return tickets.values().stream().filter(t -> correlationId.equals(t.correlationId())).findFirst();
        }

        @Override
        public Map<String, Ticket> findByCorrelationIds(Collection<String> correlationIds) {
            calls.add("find " + correlationIds.size());
            if (failLookups) {
                throw new ConnectorException("search failed: 400 Bad Request");
            }
            Map<String, Ticket> out = new LinkedHashMap<>();
            for (Ticket t : tickets.values()) {
                if (correlationIds.contains(t.correlationId())) {
                    out.putIfAbsent(t.correlationId(), t);
                }
            }
            return out;
        }

        @Override
        public List<ConfigProblem> checkConnection() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
