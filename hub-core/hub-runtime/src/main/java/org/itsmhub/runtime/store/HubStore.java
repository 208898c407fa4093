package org.itsmhub.runtime.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's state store: a connection pool, a migrated schema and one repository per table.
 *
 * <p>{@link #open} connects, applies any pending Flyway migrations (safe to repeat, and safe when
 * several nodes start at once on PostgreSQL, where Flyway takes a lock) and returns a ready store.
 * {@link #close} closes the pool. The store and its repositories are thread-safe.
 */
public final class HubStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubStore.class);

    private final HikariDataSource dataSource;
    /** What the repositories and {@link #dataSource()} hand out: the pool, or a guarded view of it. */
    private final DataSource statements;
    private final DatabaseVendor vendor;
    private final LinkRepository links;
    private final CursorRepository cursors;
    private final WebhookDeliveryRepository webhookDeliveries;
    private final OutboxRepository outbox;
    private final DeadLetterRepository deadLetters;
    private final SyncRunRepository syncRuns;
    private final AuditLogRepository auditLog;
    private final FindingRepository findings;
    private final SyncLocks syncLocks;
    private final SyncLeaseRepository syncLeases;
    private final StoreSettings settings;
    private final Clock clock;

    private HubStore(HikariDataSource dataSource, DatabaseVendor vendor, StoreSettings settings, Clock clock) {
        this(dataSource, dataSource, vendor, settings, clock);
    }

    /** @param statements where the repositories get their connections: the pool, or a guarded view of it */
    private HubStore(HikariDataSource dataSource, DataSource statements, DatabaseVendor vendor,
            StoreSettings settings, Clock clock) {
        this.dataSource = dataSource;
        this.statements = statements;
        this.vendor = vendor;
        this.settings = settings;
        this.clock = clock;
        Jdbc jdbc = new Jdbc(statements, clock);
        this.links = new LinkRepository(jdbc);
        this.cursors = new CursorRepository(jdbc);
        this.webhookDeliveries = new WebhookDeliveryRepository(jdbc);
        this.outbox = new OutboxRepository(jdbc);
        this.deadLetters = new DeadLetterRepository(jdbc);
        this.syncRuns = new SyncRunRepository(jdbc);
        this.auditLog = new AuditLogRepository(jdbc);
        this.findings = new FindingRepository(jdbc);
        this.syncLocks = new SyncLocks(vendor, settings);
        this.syncLeases = new SyncLeaseRepository(jdbc);
    }

    /**
     * A view of this store whose every repository call first runs {@code guard}, which throws to
     * refuse it; it shares this store's pool. A sync cycle gets one guarded by its lease (see
     * {@code SyncRunner}), so that a node that lost the lease writes nothing more. Closing the view
     * closes the pool: only the owner of the store closes it.
     */
    public HubStore guardedBy(Runnable guard) {
        return new HubStore(dataSource, new GuardedDataSource(dataSource, guard), vendor, settings, clock);
    }

    /** Opens the store with the system UTC clock. */
    public static HubStore open(StoreSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /**
     * Opens the store: creates the pool and migrates the schema.
     *
     * @param clock source of every timestamp the store writes (tests pass a fixed or moving clock)
     * @throws StoreException if the database cannot be reached or a migration fails
     */
    public static HubStore open(StoreSettings settings, Clock clock) {
        DatabaseVendor vendor = DatabaseVendor.fromUrl(settings.url());
        HikariDataSource dataSource = createPool(settings);
        try {
            verifyH2File(dataSource, settings);
            int applied = migrate(dataSource, vendor, settings);
            if (applied > 0 && vendor == DatabaseVendor.H2) {
                // H2 keeps the check constraints as the migrating session parsed them, tied to that
                // session: once the pool retires its connection (maxLifetime), every insert failed with
                // "database has been closed". Closing the pool closes the embedded database, and the
                // new pool's first connection has H2 parse the schema afresh, tied to no pooled session.
                dataSource.close();
                dataSource = createPool(settings);
            }
            return new HubStore(dataSource, vendor, settings, clock);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * Reads a whole H2 file store without migrating it or starting anything ({@code itsm-hub store
     * check}); works beside a running hub, through the server it shares the file with.
     *
     * @throws CorruptStoreException naming the file when it cannot be read whole
     * @throws StoreException when there is no such file, the URL is not an H2 file, or it cannot be opened
     */
    public static StoreIntegrity.Report check(StoreSettings settings) {
        Path file = H2Sharing.baseFile(settings.url()).map(HubStore::mvFile).orElseThrow(() -> new StoreException(
                "store check reads H2 file stores; " + settings.redactedUrl() + " is not one (check a PostgreSQL"
                        + " store with PostgreSQL's own tools)"));
        if (!Files.exists(file)) {
            throw new StoreException("there is no store at " + file);
        }
        // IFEXISTS: a check never creates an empty store where it expected one
        try (Connection connection = DriverManager.getConnection(H2Sharing.connectUrl(settings.url()) + ";IFEXISTS=TRUE",
                credentials(settings))) {
            return StoreIntegrity.verify(connection, file);
        } catch (SQLException e) {
            throw openFailure(settings, e);
        }
    }

    private static void verifyH2File(DataSource dataSource, StoreSettings settings) {
        Optional<Path> file = H2Sharing.baseFile(settings.url()).map(HubStore::mvFile);
        if (file.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            StoreIntegrity.Report report = StoreIntegrity.verify(connection, file.get());
            LOG.info("Store file {} read whole in {} ms: {} tables, {} indexes, {} rows", file.get(), report.millis(),
                    report.tables(), report.indexes(), report.rows());
        } catch (SQLException e) {
            throw openFailure(settings, e);
        }
    }

    private static Path mvFile(Path base) {
        return Path.of(base + ".mv.db");
    }

    private static StoreException openFailure(StoreSettings settings, SQLException e) {
        Optional<Path> file = H2Sharing.baseFile(settings.url()).map(HubStore::mvFile);
        if (file.isPresent() && StoreIntegrity.isCorruption(e)) {
            return new CorruptStoreException(file.get(), StoreIntegrity.shortDetail(rootMessage(e)), e);
        }
        return new StoreException(H2Sharing.explain(e, settings.redactedUrl()).orElseGet(() ->
                "Opening the store at " + settings.redactedUrl() + " failed: " + H2Sharing.firstLine(rootMessage(e))),
                e);
    }

    public LinkRepository links() {
        return links;
    }

    public CursorRepository cursors() {
        return cursors;
    }

    public WebhookDeliveryRepository webhookDeliveries() {
        return webhookDeliveries;
    }

    public OutboxRepository outbox() {
        return outbox;
    }

    public DeadLetterRepository deadLetters() {
        return deadLetters;
    }

    public SyncRunRepository syncRuns() {
        return syncRuns;
    }

    public AuditLogRepository auditLog() {
        return auditLog;
    }

    /** The findings-to-tickets flow's state. */
    public FindingRepository findings() {
        return findings;
    }

    /** Keeps a sync's cycles from overlapping across nodes sharing a PostgreSQL store. */
    public SyncLocks syncLocks() {
        return syncLocks;
    }

    /** Which node may run each sync's cycle, until when (see {@link SyncLeaseRepository}). */
    public SyncLeaseRepository syncLeases() {
        return syncLeases;
    }

    public DatabaseVendor vendor() {
        return vendor;
    }

    /**
     * The pool, for components that need plain JDBC on the same database (e.g. clustered Quartz, the
     * asset register); on a {@link #guardedBy guarded} view, the pool behind the same guard.
     */
    public DataSource dataSource() {
        return statements;
    }

    /**
     * Whether the store answers and can write: a {@code SELECT 1}, then a row written into
     * {@code sync_runs} (through its check constraints) and rolled back. A store that still reads but
     * refuses every write (H2 once did, after its pool retired the migrating connection) is not healthy.
     * Never throws.
     */
    public StoreHealth health() {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(5);
                try (ResultSet rs = statement.executeQuery("SELECT 1")) {
                    rs.next();
                }
            }
            return writeProbe(connection);
        } catch (SQLException | RuntimeException e) {
            return new StoreHealth(false, "Store health check failed: " + e.getMessage());
        }
    }

    private StoreHealth writeProbe(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sync_runs (tenant_id, sync_id,"
                + " started_at, read_count, created_count, updated_count, unchanged_count, failed_count, outcome)"
                + " VALUES ('~health', '~health', ?, 0, 0, 0, 0, 0, 'RUNNING')")) {
            insert.setQueryTimeout(5);
            insert.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
            return new StoreHealth(true, "ok");
        } catch (SQLException e) {
            return new StoreHealth(false, "Store cannot write: " + e.getMessage());
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static HikariDataSource createPool(StoreSettings settings) {
        String url = H2Sharing.connectUrl(settings.url());
        HikariConfig config = new HikariConfig();
        config.setPoolName("hub-store");
        config.setJdbcUrl(url);
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(10_000);
        if (url.startsWith("jdbc:postgresql:")) {
            // pg_stat_activity and pg_locks then tell which hub node a session belongs to
            config.addDataSourceProperty("ApplicationName", "itsm-hub " + NodeIdentity.current());
        }
        // One plain connection first: a store that cannot be opened (locked, unreadable, unreachable)
        // then fails with one line the CLI can print, not with Hikari's logged stack trace. It stays
        // open until the pool is up, so that an embedded H2 database is opened once, not twice.
        try (Connection probe = DriverManager.getConnection(url, credentials(settings))) {
            return new HikariDataSource(config);
        } catch (SQLException e) {
            throw openFailure(settings, e);
        } catch (RuntimeException e) {
            // Hikari's own message may quote the URL; rebuild it from the redacted one.
            throw new StoreException("Opening the store at " + settings.redactedUrl() + " failed: "
                    + rootMessage(e), e);
        }
    }

    private static Properties credentials(StoreSettings settings) {
        Properties props = new Properties();
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        return props;
    }

    /** Applies the pending migrations; returns how many ran. */
    private static int migrate(DataSource dataSource, DatabaseVendor vendor, StoreSettings settings) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(vendor.migrationLocations().toArray(String[]::new))
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            LOG.info("Store ready: {} at {}, {} migration(s) applied{}", vendor, settings.redactedUrl(),
                    result.migrationsExecuted,
                    result.targetSchemaVersion == null ? "" : ", schema version " + result.targetSchemaVersion);
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new StoreException("Migrating the store at " + settings.redactedUrl() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
