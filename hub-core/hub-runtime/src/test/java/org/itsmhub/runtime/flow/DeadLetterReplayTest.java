package org.itsmhub.runtime.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.NewDeadLetter;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replays of letters that are no longer open: they run no cycle (hence no runner here). */
class DeadLetterReplayTest {

    @TempDir
    Path dir;

    private HubStore store;
    private DeadLetterReplay replay;

    @BeforeEach
    void open() {
        store = HubStore.open(StoreSettings.h2File(dir.resolve("hub")));
        replay = new DeadLetterReplay(store, null, null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void replayingALetterALaterCycleResolvedIsDoneWithoutARun() {
        DeadLetter letter = letter("ticket:1");
        store.deadLetters().resolve(letter.id());

        DeadLetterReplay.Outcome outcome = replay.replay(letter.id());

        assertThat(outcome.replayed()).isTrue();
        assertThat(outcome.message()).contains("already synced").contains("resolved");
    }

    @Test
    void replayingADiscardedLetterIsRefused() {
        DeadLetter letter = letter("ticket:2");
        store.deadLetters().discard(letter.id());

        DeadLetterReplay.Outcome outcome = replay.replay(letter.id());

        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.message()).contains("discarded");
    }

    @Test
    void aRejectedRecordThatCannotBeReadOnItsOwnIsNotReplayedAndSaysWhatToDo() {
        for (String record : List.of("ticket:unidentified-74234e98afe7498f", "asset:dev-9", "finding:scan 7 run 1")) {
            DeadLetter letter = store.deadLetters().add(new NewDeadLetter("acme", "acme-tickets", "acme-desk", record,
                    "null", "rejected on read: the element is null, not a record (raw record 4 bytes)",
                    RejectedRecords.ERROR_TYPE));

            DeadLetterReplay.Outcome outcome = replay.replay(letter.id());

            assertThat(outcome.replayed()).isFalse();
            assertThat(outcome.message()).contains("cannot be read again on its own").contains("discard");
            assertThat(store.deadLetters().get(letter.id())).get().extracting(DeadLetter::status)
                    .isEqualTo(org.itsmhub.runtime.store.DeadLetterStatus.OPEN);
        }
    }

    private DeadLetter letter(String record) {
        return store.deadLetters().add(new NewDeadLetter("acme", "acme-tickets", "acme-desk", record, null,
                "HTTP 400 requester is required", "DataMappingException"));
    }
}
