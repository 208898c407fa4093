package org.itsmhub.testkit.contract;

import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.model.Asset;

/**
 * The contract of every asset source (endpoint management, scanners, backup servers): the shared
 * reading behaviour of {@link SourceConnectorContractTest} applied to {@link AssetSource#readAssets}.
 */
public abstract class AssetSourceContractTest extends SourceConnectorContractTest<Asset> {

    @Override
    protected Page<Asset> read(ReadRequest request) {
        return connector().capability(AssetSource.class).orElseThrow(
                () -> new AssertionError(factory().id() + " is not an asset source")).readAssets(request);
    }

    @Override
    protected String idOf(Asset asset) {
        return asset.ref().id();
    }
}
