package org.itsmhub.runtime.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.WebhookParser;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.http.WebhookRoutes;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;

/**
 * Replays a dead letter once its cause is fixed: a record of a sync ({@code ticket:<id>}) is synced
 * again on its own, read fresh from its system; a webhook body the plugin could not parse is parsed
 * again and the syncs using that connection run for what it names. A letter is marked replayed only
 * when that succeeded; otherwise it stays open with one more attempt and the new error. A letter a
 * later cycle resolved by itself needs no replay and counts as done.
 */
public final class DeadLetterReplay {

    /** The event of the change hint that replays a record (see {@link RecordHints#isReplay()}). */
    public static final String REPLAY_EVENT = "replay";

    /** What one replay did. */
    public record Outcome(long letterId, boolean replayed, String message) {
    }

    private final HubStore store;
    private final SyncRunner runner;
    private final ConnectionRegistry connections;

    public DeadLetterReplay(HubStore store, SyncRunner runner, ConnectionRegistry connections) {
        this.store = store;
        this.runner = runner;
        this.connections = connections;
    }

    public Outcome replay(long id) {
        Optional<DeadLetter> found = store.deadLetters().get(id);
        if (found.isEmpty()) {
            return new Outcome(id, false, "no dead letter " + id);
        }
        DeadLetter letter = found.get();
        if (letter.status() == DeadLetterStatus.RESOLVED) {
            // what the replay is for has happened: a later cycle synced the record
            return new Outcome(id, true, "nothing to do: a later cycle already synced the record (resolved "
                    + letter.resolvedAt() + ")");
        }
        if (letter.status() != DeadLetterStatus.OPEN) {
            return new Outcome(id, false, "dead letter " + id + " is " + letter.status().name().toLowerCase());
        }
        return WebhookRoutes.WEBHOOK_SYNC_ID.equals(letter.syncId()) ? replayWebhook(letter) : replayRecord(letter);
    }

    /** Replays every open letter, oldest failure last as listed. */
    public List<Outcome> replayAll(String tenant) {
        List<Outcome> outcomes = new ArrayList<>();
        for (DeadLetter letter : store.deadLetters().list(tenant, DeadLetterStatus.OPEN, 10_000)) {
            outcomes.add(replay(letter.id()));
        }
        return outcomes;
    }

    private Outcome replayRecord(DeadLetter letter) {
        int colon = letter.recordRef().indexOf(':');
        if (colon < 0) {
            return new Outcome(letter.id(), false, "cannot tell which record '" + letter.recordRef() + "' is");
        }
        ChangeHint.Kind kind = ChangeHint.Kind.valueOf(letter.recordRef().substring(0, colon).toUpperCase());
        String recordId = letter.recordRef().substring(colon + 1);
        if (RejectedRecords.ERROR_TYPE.equals(letter.errorType())
                && (kind != ChangeHint.Kind.TICKET || recordId.startsWith(RejectedRecords.UNIDENTIFIED))) {
            // only a ticket can be read again on its own, by its id
            return new Outcome(letter.id(), false, "a record the source could not read cannot be read again on its"
                    + " own; it is read again when it changes at the vendor (which resolves this letter): fix it"
                    + " there, or discard this letter");
        }
        Optional<SyncConfig> sync = runner.sync(letter.syncId());
        if (sync.isEmpty()) {
            return new Outcome(letter.id(), false, "sync " + letter.syncId() + " is no longer configured");
        }
        SyncResult result = runner.run(sync.get().id(), new RecordHints(letter.connectionId(),
                List.of(new ChangeHint(kind, recordId, REPLAY_EVENT, null))));
        return finish(letter, result);
    }

    private Outcome replayWebhook(DeadLetter letter) {
        Optional<WebhookParser> parser = connections.find(letter.tenantId(), letter.connectionId())
                .flatMap(c -> connections.connector(letter.tenantId(), letter.connectionId())
                        .capability(WebhookParser.class));
        if (parser.isEmpty()) {
            return new Outcome(letter.id(), false, "connection " + letter.tenantId() + "/" + letter.connectionId()
                    + " no longer receives webhooks");
        }
        List<ChangeHint> hints;
        try {
            // verified when it arrived; only the parsing failed
            hints = parser.get().parse(new WebhookRequest("POST", null, null,
                    letter.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (ConnectorException | IllegalArgumentException e) {
            return new Outcome(letter.id(), false, "still cannot be parsed: " + e.getMessage());
        }
        for (SyncConfig sync : runner.syncs()) {
            if (sync.tenant().equals(letter.tenantId()) && SyncConnections.uses(sync, letter.connectionId())) {
                SyncResult result = runner.run(sync.id(), new RecordHints(letter.connectionId(), hints));
                if (!result.completed() || result.summary().failed() > 0) {
                    return new Outcome(letter.id(), false, "sync " + sync.id() + " " + result.outcome());
                }
            }
        }
        store.deadLetters().markReplayed(letter.id());
        return new Outcome(letter.id(), true, hints.size() + " record(s) synced");
    }

    private Outcome finish(DeadLetter letter, SyncResult result) {
        if (result.completed() && result.summary().failed() == 0) {
            store.deadLetters().markReplayed(letter.id());
            return new Outcome(letter.id(), true, "synced (" + result.summary() + ")");
        }
        String why = result.message() != null ? result.message()
                : store.deadLetters().get(letter.id()).map(DeadLetter::errorMessage).orElse("failed again");
        return new Outcome(letter.id(), false, why);
    }
}
