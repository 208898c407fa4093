package org.itsmhub.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * A device as one source system sees it.
 *
 * @param ref        the source record; never null
 * @param identity   what identifies the device; never null
 * @param name       display name, or null
 * @param os         operating system name, or null
 * @param osVersion  operating system version, or null
 * @param owner      primary user or owner, or null
 * @param lastSeen   last check-in, scan or backup, or null when unknown
 * @param attributes further source attributes (model, manufacturer, compliance state, ...)
 */
public record Asset(ExternalRef ref, AssetIdentity identity, String name, String os, String osVersion,
        Person owner, Instant lastSeen, Map<String, String> attributes) {

    public Asset {
        Checks.notNull(ref, "ref");
        Checks.notNull(identity, "identity");
        attributes = Checks.copy(attributes);
    }
}
