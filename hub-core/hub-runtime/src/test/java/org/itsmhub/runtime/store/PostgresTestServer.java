package org.itsmhub.runtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for tests, and fresh schemas on it.
 *
 * <p>{@link #start()} decides where the server comes from:
 * <ol>
 *   <li>If {@code ITSMHUB_TEST_PG_URL} is set, that server is used as it is (with
 *       {@code ITSMHUB_TEST_PG_USER} and {@code ITSMHUB_TEST_PG_PASSWORD}); nothing is started.</li>
 *   <li>Otherwise the PostgreSQL server binaries are looked up ({@code /usr/lib/postgresql/<newest>/bin},
 *       then {@code initdb} on the PATH), a cluster is created with {@code initdb} in a new temp
 *       directory and started with {@code pg_ctl} on a free loopback port, with its socket in that
 *       directory, and a database {@code itsmhub_test} is created. As root, initdb and pg_ctl run as
 *       the {@code postgres} user through {@code runuser}, which owns the directory.</li>
 *   <li>When no binaries are found and the tests run as root with apt-get available (a fresh CI
 *       machine), Debian's {@code postgresql} package is installed first.</li>
 *   <li>If neither works the start fails, telling how to install PostgreSQL. It never skips.</li>
 * </ol>
 *
 * <p>Each {@link #freshSchema()} creates an empty schema and returns settings whose connections use
 * it. {@link #close()} drops those schemas on an external server, or stops the local server
 * ({@code pg_ctl stop -m fast}) and deletes its directory. A JVM shutdown hook stops a local server
 * that was not closed.
 */
public final class PostgresTestServer implements AutoCloseable {

    public static final String URL_ENV = "ITSMHUB_TEST_PG_URL";
    public static final String USER_ENV = "ITSMHUB_TEST_PG_USER";
    public static final String PASSWORD_ENV = "ITSMHUB_TEST_PG_PASSWORD";

    private static final String DATABASE = "itsmhub_test";
    private static final String SUPERUSER = "itsmhub";
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final String url;
    private final String user;
    private final String password;
    private final LocalCluster cluster; // null for an external server
    private final List<String> schemas = new ArrayList<>();

    private PostgresTestServer(String url, String user, String password, LocalCluster cluster) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.cluster = cluster;
    }

    /** Uses the server named by {@code ITSMHUB_TEST_PG_URL}, or starts a private one. */
    public static PostgresTestServer start() {
        String externalUrl = System.getenv(URL_ENV);
        if (externalUrl != null && !externalUrl.isBlank()) {
            return new PostgresTestServer(externalUrl, System.getenv(USER_ENV), System.getenv(PASSWORD_ENV), null);
        }
        LocalCluster cluster = LocalCluster.start();
        return new PostgresTestServer(cluster.url(DATABASE), SUPERUSER, cluster.password, cluster);
    }

    /** Whether this is a private server started by this class (false: {@code ITSMHUB_TEST_PG_URL}). */
    public boolean isLocal() {
        return cluster != null;
    }

    /** Creates an empty schema and returns store settings that use it. */
    public synchronized StoreSettings freshSchema() {
        String schema = "itsmhub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test schema on " + url + ": " + e.getMessage(), e);
        }
        schemas.add(schema);
        return new StoreSettings(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            cluster.stop();
            return;
        }
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            for (String schema : schemas) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            schemas.clear();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop test schemas " + schemas + ": " + e.getMessage(), e);
        }
    }

    /** A throw-away cluster in a temp directory. */
    private static final class LocalCluster {

        private final Path binDir;
        private final Path dir;
        private final Path dataDir;
        private final boolean asPostgresUser;
        private final String password = UUID.randomUUID().toString();
        private final Thread shutdownHook = new Thread(this::stopQuietly, "postgres-test-server-stop");
        private int port;
        private boolean running;

        private LocalCluster(Path binDir, Path dir, boolean asPostgresUser) {
            this.binDir = binDir;
            this.dir = dir;
            this.dataDir = dir.resolve("data");
            this.asPostgresUser = asPostgresUser;
        }

        static LocalCluster start() {
            if (findBinDir().isEmpty()) {
                installWithAptWhenRoot();
            }
            Path binDir = findBinDir().orElseThrow(() -> new IllegalStateException(
                    "No PostgreSQL server binaries found (looked for /usr/lib/postgresql/*/bin/initdb and initdb"
                            + " on the PATH). Install them with `apt-get install postgresql`, or set " + URL_ENV
                            + " (+ " + USER_ENV + ", " + PASSWORD_ENV + ") to use a running server."));
            Path dir;
            try {
                dir = Files.createTempDirectory("itsmhub-pg-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalCluster cluster = new LocalCluster(binDir, dir, isRoot());
            try {
                cluster.init();
                cluster.startServer();
                cluster.createDatabase();
                return cluster;
            } catch (RuntimeException e) {
                cluster.stopQuietly();
                throw e;
            }
        }

        String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        private void init() {
            Path pwFile = dir.resolve("pwfile");
            try {
                Files.writeString(pwFile, password + "\n", StandardCharsets.UTF_8);
                if (asPostgresUser) {
                    giveToPostgres(dir);
                    giveToPostgres(pwFile);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            run("initdb", "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + pwFile,
                    "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        }

        private void startServer() {
            port = freePort();
            String options = "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            running = true;
            run("pg_ctl", "-D", dataDir.toString(), "-l", dir.resolve("server.log").toString(), "-w",
                    "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "-o", options, "start");
        }

        private void createDatabase() {
            try (Connection c = DriverManager.getConnection(url("postgres"), SUPERUSER, password);
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + DATABASE);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot create database " + DATABASE + ": " + e.getMessage(), e);
            }
        }

        synchronized void stop() {
            if (running) {
                run("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
                running = false;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: this is the hook
            }
            deleteRecursively(dir);
        }

        private void stopQuietly() {
            try {
                stop();
            } catch (RuntimeException e) {
                System.err.println("Could not stop the PostgreSQL test server in " + dir + ": " + e.getMessage());
            }
        }

        private void run(String tool, String... args) {
            List<String> command = new ArrayList<>();
            if (asPostgresUser) {
                command.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            command.add(binDir.resolve(tool).toString());
            command.addAll(List.of(args));
            try {
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        // pg_ctl's server keeps the inherited output open; send it to the log, not to us.
                        .redirectOutput(dir.resolve(tool + ".out").toFile())
                        .start();
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(tool + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                            + process.exitValue() + ":\n" + readIfExists(dir.resolve(tool + ".out"))
                            + readIfExists(dir.resolve("server.log")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot run " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running " + tool, e);
            }
        }

        private static Optional<Path> findBinDir() {
            Path root = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(root)) {
                try (Stream<Path> versions = Files.list(root)) {
                    Optional<Path> newest = versions
                            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                            .max(Comparator.comparingInt(LocalCluster::majorVersion))
                            .map(v -> v.resolve("bin"));
                    if (newest.isPresent()) {
                        return newest;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            return Stream.of(path.split(java.io.File.pathSeparator))
                    .map(Path::of)
                    .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                    .findFirst();
        }

        private static int majorVersion(Path versionDir) {
            try {
                return Integer.parseInt(versionDir.getFileName().toString());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /**
         * On a fresh CI machine the server binaries are not there yet: as root with apt-get at hand,
         * install Debian's postgresql package (the test run "installs and starts PostgreSQL itself").
         * The package's own cluster is not used; ours runs in a temp directory on a free port.
         */
        private static synchronized void installWithAptWhenRoot() {
            if (!isRoot() || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
                return;
            }
            for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
                    List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"))) {
                try {
                    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
                    int exit = pb.start().waitFor();
                    if (exit != 0) {
                        throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
                                + "; install PostgreSQL by hand with `apt-get install postgresql`");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while installing PostgreSQL", e);
                }
            }
        }

        private static boolean isRoot() {
            try {
                return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return "root".equals(System.getProperty("user.name").toLowerCase(Locale.ROOT));
            }
        }

        private static void giveToPostgres(Path path) throws IOException {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(lookup.lookupPrincipalByName("postgres"));
            GroupPrincipal group = lookup.lookupPrincipalByGroupName("postgres");
            view.setGroup(group);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String readIfExists(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                return "";
            }
        }

        private static void deleteRecursively(Path root) {
            if (!Files.exists(root)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete " + root, e);
            }
        }
    }
}
