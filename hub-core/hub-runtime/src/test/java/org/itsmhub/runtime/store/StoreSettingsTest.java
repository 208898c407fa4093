package org.itsmhub.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void toStringNeverShowsThePassword() {
        StoreSettings settings = new StoreSettings("jdbc:postgresql://db/hub?password=s3cret&ssl=true", "hub", "s3cret");

        assertThat(settings.toString()).doesNotContain("s3cret").contains("password=[hidden]", "ssl=true");
    }

    @Test
    void theDefaultStoreIsAnH2FileUnderData() {
        assertThat(StoreSettings.defaults().url()).isEqualTo("jdbc:h2:file:./data/hub");
        assertThat(DatabaseVendor.fromUrl(StoreSettings.defaults().url())).isEqualTo(DatabaseVendor.H2);
    }

    @Test
    void eachVendorRunsTheCommonMigrationsAndItsOwn() {
        assertThat(DatabaseVendor.fromUrl("jdbc:postgresql://db/hub").migrationLocations())
                .containsExactly("classpath:db/migration/common", "classpath:db/migration/postgresql");
        assertThat(DatabaseVendor.H2.migrationLocations())
                .containsExactly("classpath:db/migration/common", "classpath:db/migration/h2");
    }

    @Test
    void anUnsupportedDatabaseIsRejectedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> HubStore.open(new StoreSettings("jdbc:mysql://db/hub?password=s3cret", "u", "s3cret")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:mysql://db/hub")
                .hasMessageNotContaining("s3cret");
    }
}
