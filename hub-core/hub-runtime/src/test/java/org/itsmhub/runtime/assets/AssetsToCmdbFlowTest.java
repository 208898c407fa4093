package org.itsmhub.runtime.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.itsmhub.runtime.assets.TestAssets.SEEN;
import static org.itsmhub.runtime.assets.TestAssets.device;
import static org.itsmhub.runtime.assets.TestAssets.intune;
import static org.itsmhub.runtime.assets.TestAssets.nessus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.runtime.config.ConnectionConfig;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.config.SecretRedactor;
import org.itsmhub.runtime.config.TenantConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.connection.UnknownConnectionException;
import org.itsmhub.runtime.flow.RecordHints;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.store.AuditEntry;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assets-to-cmdb flow between in-memory asset sources (Intune, Nessus, Veeam) and an in-memory CMDB. */
class AssetsToCmdbFlowTest {

    private static final String TENANT = "acme";
    private static final String SYNC = "acme-assets";
    private static final String MAC = "88:1F:A1:23:EE:02";

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(SEEN.plus(Duration.ofDays(1)));
    private final FakeAssetSource intune = new FakeAssetSource();
    private final FakeAssetSource nessus = new FakeAssetSource();
    private final FakeAssetSource veeam = new FakeAssetSource();
    private final FakeCmdb cmdb = new FakeCmdb("acme-cmdb");
    private final FakeCmdb otherTenantsCmdb = new FakeCmdb("globex-cmdb");
    private final AssetsToCmdbFlow flow = new AssetsToCmdbFlow(new ConnectorCalls(new ConnectorCalls.Policy(2,
            Duration.ofMillis(1), 1.0, Duration.ofMillis(5), 100, 50f, Duration.ofSeconds(1))));
    private final Map<String, String> parameters = new LinkedHashMap<>(Map.of(
            "source-connections", "acme-intune,acme-nessus,acme-veeam", "cmdb-connection", "acme-cmdb",
            "stale-after", "30d"));
    private HubStore store;
    private ConnectionRegistry registry;
    private AssetRegisterRepository repository;
    private RecordHints hints = RecordHints.none();

    @BeforeEach
    void open() {
        store = HubStore.open(storeSettings(), clock);
        repository = new AssetRegisterRepository(store.dataSource(), clock);
        ConnectorConfig empty = ConnectorConfig.of(new ConfigDef(), Map.of());
        Map<String, ConnectionConfig> acme = new LinkedHashMap<>();
        acme.put("acme-intune", new ConnectionConfig(TENANT, "acme-intune", "intune", Map.of(), empty));
        acme.put("acme-nessus", new ConnectionConfig(TENANT, "acme-nessus", "nessus", Map.of(), empty));
        acme.put("acme-veeam", new ConnectionConfig(TENANT, "acme-veeam", "veeam", Map.of(), empty));
        acme.put("acme-cmdb", new ConnectionConfig(TENANT, "acme-cmdb", "fakecmdb", Map.of(), empty));
        Map<String, TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put(TENANT, new TenantConfig(TENANT, acme, List.of()));
        tenants.put("globex", new TenantConfig("globex", Map.of("globex-cmdb",
                new ConnectionConfig("globex", "globex-cmdb", "fakecmdb", Map.of(), empty)), List.of()));
        HubConfig config = new HubConfig(dir.resolve("hub.yaml"), HubSettings.defaults(), tenants,
                new SecretRedactor(List.of()));
        Map<String, Connector> byConnection = Map.of("acme-intune", intune, "acme-nessus", nessus, "acme-veeam", veeam,
                "acme-cmdb", cmdb, "globex-cmdb", otherTenantsCmdb);
        registry = new ConnectionRegistry(config, plugin -> Optional.of(factory(byConnection)), clock,
                ConnectionRegistry.HostServices.none());
    }

    /** Where the store lives: embedded H2 here, PostgreSQL in {@link AssetsToCmdbFlowOnPostgresTest}. */
    StoreSettings storeSettings() {
        return StoreSettings.h2File(dir.resolve("hub"));
    }

    @AfterEach
    void close() {
        registry.close();
        store.close();
    }

    private SyncContext cycle() {
        SyncContext context = new SyncContext(store.syncRuns().start(TENANT, SYNC), TENANT, SYNC, "assets-to-cmdb",
                parameters, hints, registry, store, clock);
        flow.run(context);
        return context;
    }

    private static Asset laptop() {
        return intune("acme-intune", "dev-1", "PF3X9K2", "LAPTOP-ANN", "88-1f-a1-23-ee-02", null);
    }

    private static Asset scannedLaptop() {
        return nessus("acme-nessus", "192.168.1.3", MAC, "conserve.local", null, "192.168.1.3");
    }

    private static Asset printer() {
        return nessus("acme-nessus", "192.168.1.9", "6C:2E:85:19:AF:00", "printer.local", null, "192.168.1.9");
    }

    @Test
    void anIntuneDeviceAndANessusHostWithTheSameMacBecomeOneCmdbItem() {
        intune.changed(laptop());
        nessus.changed(scannedLaptop(), printer());

        SyncContext run = cycle();

        assertThat(cmdb.items()).hasSize(2);
        long laptopAsset = repository.liveAssets(TENANT).get(0).id();
        FakeCmdb.Item item = cmdb.items().stream().filter(i -> i.asset.identity().macs().contains(MAC)).findFirst()
                .orElseThrow();
        assertThat(item.correlationId).isEqualTo("itsmhub:acme:asset:" + laptopAsset);
        assertThat(item.asset.identity().serial()).isEqualTo("PF3X9K2");
        assertThat(item.asset.identity().fqdn()).isEqualTo("conserve.local");
        assertThat(item.asset.name()).as("the first source connection wins single-valued fields")
                .isEqualTo("LAPTOP-ANN");
        assertThat(item.asset.attributes().get("itsmhub.sources"))
                .isEqualTo("intune:acme-intune/dev-1, nessus:acme-nessus/192.168.1.3");
        assertThat(run.summary().read()).isEqualTo(3);
        assertThat(run.summary().created()).as("records: two of them went into the laptop's one item").isEqualTo(3);
        assertThat(run.summary().failed()).isZero();
        assertThat(run.summary().addsUp()).isTrue();
        assertThat(repository.push(TENANT, laptopAsset, "acme-cmdb")).get()
                .satisfies(p -> assertThat(p.ci().id()).isEqualTo(item.id));
        assertThat(audit()).filteredOn(e -> e.action().equals("cmdb-create")).hasSize(2)
                .allSatisfy(e -> assertThat(e.connectionId()).isEqualTo("acme-cmdb"))
                .anySatisfy(e -> assertThat(e.recordId()).isEqualTo(item.id));
    }

    @Test
    void aSecondPushOfTheSameDevicesCreatesNothingAndAQuietCycleWritesNothing() {
        intune.changed(laptop());
        nessus.changed(scannedLaptop(), printer());
        cycle();
        cmdb.clearWrites();
        int auditBefore = audit().size();

        intune.changed(laptop()); // the source reports the device again, unchanged
        nessus.changed(scannedLaptop());
        SyncContext again = cycle();

        assertThat(cmdb.writes()).isEmpty();
        assertThat(cmdb.items()).hasSize(2);
        assertThat(again.summary().read()).isEqualTo(2);
        assertThat(again.summary().unchanged()).isEqualTo(2);
        assertThat(again.summary().created() + again.summary().updated()).isZero();

        SyncContext quiet = cycle();

        assertThat(cmdb.writes()).isEmpty();
        assertThat(quiet.summary().read() + quiet.summary().created() + quiet.summary().updated()
                + quiet.summary().failed()).isZero();
        assertThat(audit()).hasSize(auditBefore);
        assertThat(intune.reads()).isEqualTo(3);
    }

    @Test
    void aChangedDeviceUpdatesItsItemInPlace() {
        intune.changed(laptop());
        cycle();
        cmdb.clearWrites();

        intune.changed(TestAssets.renamed(laptop(), "LAPTOP-ANN-2"));
        SyncContext run = cycle();

        assertThat(cmdb.writes()).containsExactly("update ci1");
        assertThat(cmdb.items()).singleElement().satisfies(i -> assertThat(i.asset.name()).isEqualTo("LAPTOP-ANN-2"));
        assertThat(run.summary().updated()).isEqualTo(1);
        assertThat(audit()).extracting(AuditEntry::action).containsExactly("cmdb-create", "cmdb-update");
    }

    @Test
    void aDeviceUnseenForStaleAfterIsMarkedStaleOnceNeverDeletedAndPushedAgainWhenSeen() {
        intune.changed(laptop());
        cycle();
        cmdb.clearWrites();

        clock.advance(Duration.ofDays(40));
        SyncContext stale = cycle();

        assertThat(cmdb.writes()).containsExactly("stale ci1");
        assertThat(cmdb.items()).singleElement().satisfies(i -> assertThat(i.staleReason)
                .contains("not seen by any source since " + SEEN).contains("30 days"));
        assertThat(stale.summary().updated()).isEqualTo(1);
        assertThat(audit()).extracting(AuditEntry::action).containsExactly("cmdb-create", "cmdb-stale");

        cmdb.clearWrites();
        cycle();
        assertThat(cmdb.writes()).as("marked once").isEmpty();

        intune.changed(TestAssets.withLastSeen(laptop(), clock.instant()));
        cycle();

        assertThat(cmdb.writes()).containsExactly("update ci1");
        long asset = repository.liveAssets(TENANT).get(0).id();
        assertThat(repository.push(TENANT, asset, "acme-cmdb")).get()
                .satisfies(p -> assertThat(p.staleMarkedAt()).isNull());
    }

    @Test
    void aMachineFromASourceWithoutLastSeenTimesIsSeenWhenReadAgainAndItsStaleItemPushedAgain() {
        Asset vm = TestAssets.withLastSeen(device("veeam", "acme-veeam", "vc01/vm-5", null, "db-vm"), null);
        veeam.changed(vm);
        cycle();
        clock.advance(Duration.ofDays(31));
        cycle();
        assertThat(cmdb.writes()).containsExactly("create ci1", "stale ci1");
        cmdb.clearWrites();

        veeam.changed(vm); // the backup server still protects it: the same record, unchanged
        SyncContext seenAgain = cycle();

        assertThat(seenAgain.summary().unchanged()).isEqualTo(1);
        assertThat(cmdb.writes()).as("pushed again although its content did not change").containsExactly("update ci1");
        long asset = repository.liveAssets(TENANT).get(0).id();
        assertThat(repository.push(TENANT, asset, "acme-cmdb")).get()
                .satisfies(p -> assertThat(p.staleMarkedAt()).isNull());
        cmdb.clearWrites();
        cycle();
        assertThat(cmdb.writes()).isEmpty();
    }

    @Test
    void anAssetTheCmdbRejectsIsDeadLetteredTheOthersKeepFlowingAndTheNextCycleRetriesIt() {
        cmdb.reject(a -> "printer.local".equals(a.name()));
        nessus.changed(scannedLaptop(), printer());

        SyncContext run = cycle();

        assertThat(cmdb.items()).singleElement().satisfies(i -> assertThat(i.asset.name()).isEqualTo("conserve.local"));
        assertThat(run.summary().created()).isEqualTo(1);
        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(run.summary().addsUp()).isTrue();
        long printerAsset = repository.liveAssets(TENANT).get(1).id();
        assertThat(store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10)).singleElement().satisfies(d -> {
            assertThat(d.connectionId()).isEqualTo("acme-cmdb");
            assertThat(d.recordRef()).isEqualTo("asset:" + printerAsset);
            assertThat(d.errorMessage()).contains("name is mandatory");
            assertThat(d.errorType()).isEqualTo("DataMappingException");
        });

        long letter = store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10).get(0).id();
        cmdb.reject(a -> false);
        SyncContext retry = cycle();

        assertThat(cmdb.items()).hasSize(2);
        assertThat(retry.summary().read()).as("the pending push, taken up again").isEqualTo(1);
        assertThat(retry.summary().created()).isEqualTo(1);
        assertThat(store.deadLetters().get(letter)).map(DeadLetter::status).contains(DeadLetterStatus.RESOLVED);
        assertThat(store.auditLog().listByTenant(TENANT, null, null, 50))
                .filteredOn(e -> e.action().equals("dead-letter-resolved")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("dead letter " + letter)
                        .contains("run " + retry.runId()));
        assertThat(retry.summary().addsUp()).isTrue();
    }

    @Test
    void replayingAPushDeadLetterPushesJustThatAsset() {
        cmdb.reject(a -> true);
        nessus.changed(printer());
        cycle();
        DeadLetter letter = store.deadLetters().list(TENANT, DeadLetterStatus.OPEN, 10).get(0);
        cmdb.reject(a -> false);
        hints = new RecordHints(letter.connectionId(), List.of(new ChangeHint(ChangeHint.Kind.ASSET,
                letter.recordRef().substring("asset:".length()), "replay", null)));

        SyncContext replay = cycle();

        assertThat(cmdb.items()).hasSize(1);
        assertThat(replay.summary().created()).isEqualTo(1);
        assertThat(nessus.reads()).as("a replay reads no source").isEqualTo(1);
        assertThat(store.deadLetters().get(letter.id())).as("the replay, not the cycle, closes it")
                .map(DeadLetter::status).contains(DeadLetterStatus.OPEN);
    }

    @Test
    void whenARecordMergesTwoPushedAssetsTheSurvivorKeepsItsItemAndTheOtherItemIsMarkedStale() {
        nessus.changed(scannedLaptop());
        veeam.changed(device("veeam", "acme-veeam", "vc01/vm-3", "PF3X9K2", "laptop-vm"));
        cycle();
        assertThat(cmdb.items()).hasSize(2);
        cmdb.clearWrites();

        intune.changed(laptop()); // same MAC as the Nessus host, same serial as the Veeam machine
        SyncContext run = cycle();

        assertThat(repository.liveAssets(TENANT)).hasSize(1);
        assertThat(cmdb.items()).hasSize(2);
        assertThat(cmdb.writes()).containsExactly("update ci1", "stale ci2");
        assertThat(cmdb.items().get(1).staleReason).contains("was merged into asset");
        assertThat(cmdb.items().get(0).asset.attributes().get("itsmhub.sources"))
                .isEqualTo("intune:acme-intune/dev-1, nessus:acme-nessus/192.168.1.3, veeam:acme-veeam/vc01/vm-3");
        assertThat(run.summary().created()).isZero();
    }

    @Test
    void aSourceThatFailsFailsTheCycleButTheOtherSourcesArePushed() {
        intune.changed(laptop());
        nessus.failWith(new DataMappingException("the scan export is unreadable"));

        assertThatThrownBy(this::cycle).isInstanceOf(DataMappingException.class);

        assertThat(cmdb.items()).hasSize(1);
    }

    @Test
    void aCmdbConnectionOfAnotherTenantIsNeverReached() {
        parameters.put("cmdb-connection", "globex-cmdb");
        intune.changed(laptop());

        assertThatThrownBy(this::cycle).isInstanceOf(UnknownConnectionException.class);

        assertThat(otherTenantsCmdb.writes()).isEmpty();
        assertThat(intune.reads()).isZero();
    }

    @Test
    void staleAfterAcceptsDaysHoursAndIsoDurationsAndRejectsNonsense() {
        assertThat(AssetsToCmdbSettings.duration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(AssetsToCmdbSettings.duration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(AssetsToCmdbSettings.duration("P7D")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> AssetsToCmdbSettings.duration("soon")).hasMessageContaining("stale-after");
        assertThatThrownBy(() -> AssetsToCmdbSettings.duration("0d")).hasMessageContaining("stale-after");
    }

    private List<AuditEntry> audit() {
        return store.auditLog().listByTenant(TENANT, null, null, 100).stream()
                .sorted(java.util.Comparator.comparingLong(AuditEntry::id)).toList();
    }

    private static ConnectorFactory factory(Map<String, Connector> byConnection) {
        return new ConnectorFactory() {
            @Override public String id() { return "fake"; }
            @Override public String version() { return "1"; }
            @Override public String description() { return "in-memory assets"; }
            @Override public ConfigDef configDef() { return new ConfigDef(); }
            @Override public Class<? extends Connector> connectorType() { return FakeAssetSource.class; }
            @Override public Connector create(ConnectorContext context) {
                return byConnection.get(context.connection());
            }
        };
    }

    @Test
    void aDeviceTheSourceCannotReadIsDeadLetteredAndTheOthersReachTheCmdb() {
        intune.changed(laptop());
        intune.cannotRead(org.itsmhub.api.connector.RejectedRecord.of("dev-9", "lastSyncDateTime 'yesterday' is not a date",
                "{\"id\":\"dev-9\",\"lastSyncDateTime\":\"yesterday\"}"));

        SyncContext run = cycle();

        assertThat(cmdb.items()).hasSize(1);
        assertThat(store.deadLetters().list(TENANT, org.itsmhub.runtime.store.DeadLetterStatus.OPEN, 10)).singleElement()
                .satisfies(l -> {
                    assertThat(l.connectionId()).isEqualTo("acme-intune");
                    assertThat(l.recordRef()).isEqualTo("asset:dev-9");
                    assertThat(l.payload()).contains("yesterday");
                });
        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(run.summary().addsUp()).isTrue();
    }
}
