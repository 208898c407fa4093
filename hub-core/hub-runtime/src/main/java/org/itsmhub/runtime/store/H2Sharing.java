package org.itsmhub.runtime.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

import org.h2.api.ErrorCode;
import org.h2.engine.SysProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an H2 file store is shared between the running hub and the CLI commands an admin runs beside
 * it ({@code dlq}, {@code assets}, {@code run --once}): H2's automatic mixed mode. The first process
 * opens the file and serves it on a TCP port; later processes connect through that port (the address
 * and a random key are in the {@code .lock.db} file, readable by whoever may read the store).
 *
 * <p>H2 binds that port to every interface unless the system property {@code h2.bindAddress} says
 * otherwise, and H2 reads the property once, when its first class loads. The store sets it to
 * 127.0.0.1 before it touches H2, unless the admin chose an address; when H2 was loaded earlier
 * without it, the store is not shared rather than served on the network.
 */
final class H2Sharing {

    private static final Logger LOG = LoggerFactory.getLogger(H2Sharing.class);
    private static final String BIND_PROPERTY = "h2.bindAddress";
    private static final String LOOPBACK = "127.0.0.1";

    static {
        if (System.getProperty(BIND_PROPERTY) == null) {
            System.setProperty(BIND_PROPERTY, LOOPBACK);
        }
    }

    private H2Sharing() {
    }

    /**
     * The URL to connect with: an H2 file URL gets {@code ;AUTO_SERVER=TRUE} unless it sets
     * {@code AUTO_SERVER} itself; every other URL is returned as it is.
     */
    static String connectUrl(String url) {
        if (!isFileUrl(url) || url.toUpperCase(Locale.ROOT).contains(";AUTO_SERVER=")) {
            return url;
        }
        if (!servedOnLoopbackOrChosen()) {
            LOG.warn("The H2 store is not shared with other itsm-hub processes: H2 was loaded before the store "
                    + "could restrict its server to 127.0.0.1 (set -D{}=127.0.0.1)", BIND_PROPERTY);
            return url;
        }
        return url + ";AUTO_SERVER=TRUE";
    }

    /** The database file an H2 file URL names, without H2's {@code .mv.db} suffix. */
    static Optional<Path> baseFile(String url) {
        if (!isFileUrl(url)) {
            return Optional.empty();
        }
        String name = url.substring("jdbc:h2:".length());
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        }
        int settings = name.indexOf(';');
        if (settings >= 0) {
            name = name.substring(0, settings);
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Optional.of(Path.of(name).toAbsolutePath().normalize());
    }

    /**
     * A one-line explanation for an H2 error an admin can act on: the file is held by a process that
     * does not share it, or cannot be read. Empty for any other error.
     */
    static Optional<String> explain(SQLException e, String redactedUrl) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof SQLException sql)) {
                continue;
            }
            String message = String.valueOf(sql.getMessage());
            if (sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1 || message.contains("The file is locked")) {
                return Optional.of("the store " + redactedUrl + " is held by another process that does not share it"
                        + " (H2: the file is locked); stop that process, or open the store in both with "
                        + "AUTO_SERVER=TRUE (the hub's default), then try again");
            }
            if (message.contains("AccessDenied") || message.contains("Permission denied")
                    || message.contains("access denied")) {
                return Optional.of("the store " + redactedUrl + " cannot be read or written by this user ("
                        + firstLine(message) + "); run the command as the user the hub runs as");
            }
        }
        return Optional.empty();
    }

    private static boolean isFileUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")
                || rest.startsWith("zip:"));
    }

    /** Whether H2 will serve on 127.0.0.1, or on the address the admin set on purpose. */
    private static boolean servedOnLoopbackOrChosen() {
        String effective = SysProperties.BIND_ADDRESS;
        if (effective == null || effective.isEmpty()) {
            return false;
        }
        if (effective.equals(System.getProperty(BIND_PROPERTY)) && !effective.equals(LOOPBACK)) {
            return true; // the admin's own choice
        }
        try {
            return InetAddress.getByName(effective).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end).strip();
    }
}
