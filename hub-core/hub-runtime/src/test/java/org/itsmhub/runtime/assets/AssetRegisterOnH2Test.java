package org.itsmhub.runtime.assets;

import java.nio.file.Path;

import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.io.TempDir;

/** The asset register on embedded H2, in a fresh database file per test. */
class AssetRegisterOnH2Test extends AbstractAssetRegisterTest {

    @TempDir
    Path dir;

    @Override
    StoreSettings settings() {
        return StoreSettings.h2File(dir.resolve("hub"));
    }
}
