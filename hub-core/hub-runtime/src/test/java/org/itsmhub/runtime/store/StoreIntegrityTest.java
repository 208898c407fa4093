package org.itsmhub.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.itsmhub.runtime.testing.StoreFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole-file read an H2 store gets on every start and from {@code itsm-hub store check}. */
class StoreIntegrityTest {

    @TempDir
    Path dir;

    @Test
    void aHealthyStoreOfTenThousandLinksIsReadWholeAndOpens() {
        StoreSettings settings = StoreSettings.h2File(dir.resolve("hub"));
        try (HubStore store = HubStore.open(settings)) {
            StoreFiles.link(store, 10_000);
        }

        StoreIntegrity.Report report = HubStore.check(settings);

        assertThat(report.file()).isEqualTo(dir.resolve("hub.mv.db").toAbsolutePath());
        assertThat(report.rows()).isGreaterThanOrEqualTo(10_000);
        assertThat(report.tables()).isGreaterThan(5);
        assertThat(report.indexes()).isGreaterThan(5);
        System.out.printf("store check of 10,000 links: %d ms (%d rows, %d tables, %d indexes)%n", report.millis(),
                report.rows(), report.tables(), report.indexes());
        try (HubStore again = HubStore.open(settings)) {
            assertThat(again.links().findBySideA("acme", "acme-tickets", "acme-desk", "9999")).isPresent();
        }
    }

    @Test
    void aStoreWith32KbOfGarbageInTheMiddleIsRefusedNamingItsFile() {
        StoreSettings settings = StoreSettings.h2File(dir.resolve("hub"));
        try (HubStore store = HubStore.open(settings)) {
            StoreFiles.link(store, 10_000);
        }
        Path file = dir.resolve("hub.mv.db").toAbsolutePath();
        StoreFiles.overwriteMiddle(file, 32 * 1024);

        assertThatThrownBy(() -> HubStore.check(settings)).isInstanceOf(CorruptStoreException.class)
                .hasMessageStartingWith("the store " + file + " is corrupt (");
        assertThatThrownBy(() -> HubStore.open(settings)).isInstanceOf(CorruptStoreException.class)
                .hasMessageStartingWith("the store " + file + " is corrupt (");
    }

    @Test
    void checkingAStoreThatDoesNotExistCreatesNone() {
        assertThatThrownBy(() -> HubStore.check(StoreSettings.h2File(dir.resolve("nothing"))))
                .isInstanceOf(StoreException.class).hasMessage("there is no store at " + dir.resolve("nothing.mv.db"));
        assertThat(dir.resolve("nothing.mv.db")).doesNotExist();
    }
}
