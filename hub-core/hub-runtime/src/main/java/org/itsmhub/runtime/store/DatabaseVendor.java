package org.itsmhub.runtime.store;

import java.util.List;

/**
 * The databases the store supports, and which Flyway migration folders each one runs.
 *
 * <p>Flyway has no {@code {vendor}} placeholder outside Spring Boot, so the folder is chosen here.
 */
public enum DatabaseVendor {
    H2("jdbc:h2:", "h2"),
    POSTGRESQL("jdbc:postgresql:", "postgresql");

    private final String urlPrefix;
    private final String migrationFolder;

    DatabaseVendor(String urlPrefix, String migrationFolder) {
        this.urlPrefix = urlPrefix;
        this.migrationFolder = migrationFolder;
    }

    /** The vendor for a JDBC URL; a {@link StoreException} for any other database. */
    public static DatabaseVendor fromUrl(String jdbcUrl) {
        for (DatabaseVendor vendor : values()) {
            if (jdbcUrl.startsWith(vendor.urlPrefix)) {
                return vendor;
            }
        }
        throw new StoreException("Unsupported database URL (the store supports jdbc:h2: and jdbc:postgresql:): "
                + new StoreSettings(jdbcUrl, null, null).redactedUrl());
    }

    /** Flyway locations: the shared migrations plus this vendor's own. */
    public List<String> migrationLocations() {
        return List.of("classpath:db/migration/common", "classpath:db/migration/" + migrationFolder);
    }
}
