package org.itsmhub.api.connector;

import org.itsmhub.api.model.Asset;

/**
 * Reads devices from a system that knows them (endpoint management, scanner, backup server).
 *
 * @since 0.1
 */
public interface AssetSource {

    /** One page of assets seen or changed since the cursor. */
    Page<Asset> readAssets(ReadRequest request);
}
