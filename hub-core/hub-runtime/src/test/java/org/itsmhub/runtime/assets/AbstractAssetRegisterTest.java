package org.itsmhub.runtime.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.runtime.assets.TestAssets.device;
import static org.itsmhub.runtime.assets.TestAssets.intune;
import static org.itsmhub.runtime.assets.TestAssets.nessus;

import java.time.Instant;
import java.util.List;

import org.itsmhub.runtime.assets.AssetRegister.Outcome;
import org.itsmhub.runtime.assets.AssetRegister.Registered;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How records are matched into register assets, on every database the store supports. */
abstract class AbstractAssetRegisterTest {

    static final String ACME = "acme";
    static final String GLOBEX = "globex";

    final TestClock clock = new TestClock(Instant.parse("2026-11-27T06:00:00Z"));
    HubStore store;
    AssetRegister register;
    AssetRegisterRepository repository;

    abstract StoreSettings settings();

    @BeforeEach
    void open() {
        store = HubStore.open(settings(), clock);
        repository = new AssetRegisterRepository(store.dataSource(), clock);
        register = new AssetRegister(repository);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theSameSerialNumberMakesTwoSourcesOneAsset() {
        Registered a = register.register(ACME, intune("acme-intune", "dev-1", "PF3X9K2", "LAPTOP-ANN", null, null));
        Registered b = register.register(ACME, device("veeam", "acme-veeam", "vc01/vm-17", "pf3x9k2", "ann-vm"));

        assertThat(b.assetId()).isEqualTo(a.assetId());
        assertThat(b.outcome()).isEqualTo(Outcome.JOINED);
        assertThat(repository.liveAssets(ACME)).hasSize(1);
        assertThat(repository.evidence(ACME, a.assetId())).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("match");
            assertThat(e.recordRef()).isEqualTo("veeam:acme-veeam/vc01/vm-17");
            assertThat(e.attribute()).isEqualTo("serial");
            assertThat(e.value()).isEqualTo("PF3X9K2");
            assertThat(e.otherRef()).isEqualTo("intune:acme-intune/dev-1");
        });
    }

    @Test
    void theSameVendorDeviceIdMakesTwoRecordsOneAsset() {
        Registered a = register.register(ACME, intune("acme-intune", "dev-1", null, "laptop-ann", null,
                "5D2A9C1E-0000-4B1C-9F00-1234567890AB"));
        Registered b = register.register(ACME, intune("acme-intune-eu", "dev-9", null, "other-name", null,
                "5d2a9c1e-0000-4b1c-9f00-1234567890ab"));

        assertThat(b.assetId()).isEqualTo(a.assetId());
        assertThat(repository.evidence(ACME, a.assetId())).anySatisfy(e ->
                assertThat(e.attribute()).isEqualTo("vendor:azureAdDeviceId"));
    }

    @Test
    void theSameMacAddressMatchesWhateverTheVendorsSpelling() {
        Registered device = register.register(ACME, intune("acme-intune", "dev-1", "PF3X9K2", "LAPTOP-ANN",
                "88-1f-a1-23-ee-02", null));
        Registered host = register.register(ACME, nessus("acme-nessus", "192.168.1.3", "88:1F:A1:23:EE:02",
                "conserve.local", null, "192.168.1.3"));

        assertThat(host.assetId()).isEqualTo(device.assetId());
        assertThat(repository.records(ACME, device.assetId())).extracting(SourceRecord::label)
                .containsExactly("intune:acme-intune/dev-1", "nessus:acme-nessus/192.168.1.3");
        assertThat(repository.evidence(ACME, device.assetId())).extracting(Evidence::action, Evidence::attribute,
                Evidence::value).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("new", null, null),
                        org.assertj.core.groups.Tuple.tuple("match", "mac", "88:1F:A1:23:EE:02"));
    }

    @Test
    void anFqdnMatchesAndADeviceNameMeetsTheFirstLabelOfAnFqdn() {
        Registered device = register.register(ACME, intune("acme-intune", "dev-1", null, "WEB01", null, null));
        Registered scanned = register.register(ACME, nessus("acme-nessus", "10.0.0.5", null, "web01.corp.example",
                null, "10.0.0.5"));
        Registered again = register.register(ACME, nessus("acme-nessus-dmz", "10.9.0.5", null, "WEB01.corp.example",
                null, "10.9.0.5"));

        assertThat(scanned.assetId()).isEqualTo(device.assetId());
        assertThat(again.assetId()).isEqualTo(device.assetId());
        List<Evidence> evidence = repository.evidence(ACME, device.assetId());
        assertThat(evidence).anySatisfy(e -> assertThat(e.attribute() + " " + e.value()).isEqualTo("hostname web01"));
        assertThat(evidence).anySatisfy(e -> assertThat(e.attribute() + " " + e.value())
                .isEqualTo("fqdn web01.corp.example"));
    }

    @Test
    void anIpAddressAloneNeverMergesButTheSharedAddressIsNoted() {
        Registered first = register.register(ACME, nessus("acme-nessus", "10.0.0.7", null, null, null, "10.0.0.7"));
        Registered second = register.register(ACME, nessus("acme-nessus-2", "10.0.0.7", null, null, null, "10.0.0.7"));

        assertThat(second.assetId()).isNotEqualTo(first.assetId());
        assertThat(repository.liveAssets(ACME)).hasSize(2);
        assertThat(repository.evidence(ACME, second.assetId())).extracting(Evidence::action)
                .containsExactly("new", "weak");
        assertThat(repository.evidence(ACME, second.assetId()).get(0).detail()).contains("IP address only");
    }

    @Test
    void aRecordThatMatchesTwoAssetsMergesThemIntoTheOlderAndSaysWhy() {
        Registered byMac = register.register(ACME, nessus("acme-nessus", "10.0.0.8", "00:1A:2B:3C:4D:5E", null, null,
                "10.0.0.8"));
        Registered bySerial = register.register(ACME, device("veeam", "acme-veeam", "vc01/vm-3", "SN-42", "srv-3"));
        assertThat(bySerial.assetId()).isNotEqualTo(byMac.assetId());

        Registered bridge = register.register(ACME, intune("acme-intune", "dev-3", "SN-42", "SRV-3",
                "00-1A-2B-3C-4D-5E", null));

        assertThat(bridge.assetId()).isEqualTo(byMac.assetId());
        assertThat(bridge.mergedAway()).containsExactly(bySerial.assetId());
        assertThat(repository.liveAssets(ACME)).extracting(RegisterAsset::id).containsExactly(byMac.assetId());
        assertThat(repository.asset(ACME, bySerial.assetId())).get().extracting(RegisterAsset::mergedInto)
                .isEqualTo(byMac.assetId());
        assertThat(repository.records(ACME, byMac.assetId())).hasSize(3);
        assertThat(repository.evidence(ACME, byMac.assetId())).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("merge");
            assertThat(e.recordRef()).isEqualTo("intune:acme-intune/dev-3");
            assertThat(e.otherAssetId()).isEqualTo(bySerial.assetId());
            assertThat(e.detail()).contains("asset " + bySerial.assetId() + " merged into asset " + byMac.assetId());
        });
    }

    @Test
    void twoDifferentSerialNumbersNeverMergeEvenWithTheSameHostName() {
        Registered one = register.register(ACME, device("veeam", "acme-veeam", "vm-1", "SN-1", "build-agent"));
        Registered two = register.register(ACME, intune("acme-intune", "dev-2", "SN-2", "build-agent", null, null));

        assertThat(two.assetId()).isNotEqualTo(one.assetId());
        assertThat(two.outcome()).isEqualTo(Outcome.NEW_ASSET);
        assertThat(repository.evidence(ACME, two.assetId())).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("conflict");
            assertThat(e.otherAssetId()).isEqualTo(one.assetId());
            assertThat(e.detail()).contains("different serial numbers");
        });
    }

    @Test
    void aHostWithoutSerialJoinsTheAssetItMatchesMostStronglyNotTheConflictingOne() {
        Registered one = register.register(ACME, intune("acme-intune", "dev-1", "SN-1", "kiosk", "AA:AA:AA:AA:AA:01",
                null));
        Registered two = register.register(ACME, intune("acme-intune", "dev-2", "SN-2", "kiosk", null, null));

        Registered scanned = register.register(ACME, nessus("acme-nessus", "10.1.1.1", "aa:aa:aa:aa:aa:01", null,
                "kiosk", "10.1.1.1"));

        assertThat(scanned.assetId()).isEqualTo(one.assetId());
        assertThat(scanned.mergedAway()).isEmpty();
        assertThat(repository.liveAssets(ACME)).extracting(RegisterAsset::id)
                .containsExactly(one.assetId(), two.assetId());
    }

    @Test
    void recordsOfDifferentTenantsNeverMerge() {
        Registered acme = register.register(ACME, intune("shared-name", "dev-1", "SN-1", "pc1", "AA:BB:CC:DD:EE:01",
                null));
        Registered globex = register.register(GLOBEX, intune("shared-name", "dev-1", "SN-1", "pc1",
                "AA:BB:CC:DD:EE:01", null));

        assertThat(globex.assetId()).isNotEqualTo(acme.assetId());
        assertThat(globex.outcome()).isEqualTo(Outcome.NEW_ASSET);
        assertThat(repository.liveAssets(ACME)).hasSize(1);
        assertThat(repository.liveAssets(GLOBEX)).hasSize(1);
        assertThat(repository.records(ACME, globex.assetId())).isEmpty();
        assertThat(repository.evidence(GLOBEX, globex.assetId())).extracting(Evidence::action).containsExactly("new");
    }

    @Test
    void aRecordReadAgainUnchangedLeavesTheAssetVersionAloneAndAChangeRaisesIt() {
        var device = intune("acme-intune", "dev-1", "SN-1", "pc1", null, null);
        Registered first = register.register(ACME, device);
        long version = repository.asset(ACME, first.assetId()).orElseThrow().version();

        Registered again = register.register(ACME, device);

        assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(repository.asset(ACME, first.assetId()).orElseThrow().version()).isEqualTo(version);

        Registered changed = register.register(ACME, TestAssets.renamed(device, "pc1-renamed"));

        assertThat(changed.outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(repository.asset(ACME, first.assetId()).orElseThrow().version()).isEqualTo(version + 1);
        assertThat(repository.records(ACME, first.assetId())).singleElement()
                .satisfies(r -> assertThat(r.asset().name()).isEqualTo("pc1-renamed"));
    }

    @Test
    void placeholderSerialNumbersMatchNothing() {
        Registered a = register.register(ACME, device("veeam", "acme-veeam", "vm-1", "To be filled by O.E.M.", "a"));
        Registered b = register.register(ACME, device("veeam", "acme-veeam", "vm-2", "To be filled by O.E.M.", "b"));

        assertThat(b.assetId()).isNotEqualTo(a.assetId());
    }
}
