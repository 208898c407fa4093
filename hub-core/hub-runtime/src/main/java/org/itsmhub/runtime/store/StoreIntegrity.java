package org.itsmhub.runtime.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.api.ErrorCode;

/**
 * Reads an H2 store whole: every row of every table (every column, large text included) and every
 * index in its own order, so each live page of the file passes H2's checksums once. H2 opens a file
 * with damaged pages without complaint and fails only when a sync reads them; this finds them first.
 * Space the file no longer uses is not read: damage there is harmless.
 */
public final class StoreIntegrity {

    /** What a check read. */
    public record Report(Path file, int tables, int indexes, long rows, long millis) {
    }

    private static final Pattern UNREADABLE_PAGE = Pattern.compile("Unable to read the page at position 0x[0-9a-f]+");

    private StoreIntegrity() {
    }

    /**
     * Reads everything on {@code connection}, an H2 database in {@code file}.
     *
     * @throws CorruptStoreException naming {@code file} when a page, row or index cannot be read
     */
    public static Report verify(Connection connection, Path file) {
        long start = System.nanoTime();
        String table = null;
        try (Statement s = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            Map<String, List<String>> indexes = indexColumns(s);
            long rows = 0;
            for (String t : tables) {
                table = t;
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + quote(t))) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= columns; i++) {
                            rs.getString(i); // reads large values too, which live on pages of their own
                        }
                    }
                }
            }
            for (Map.Entry<String, List<String>> index : indexes.entrySet()) {
                String[] name = index.getKey().split("\\.", 2);
                table = name[0];
                String columns = String.join(", ", index.getValue().stream().map(StoreIntegrity::quote).toList());
                // ordered by its columns and reading only them, H2 walks the index itself
                try (ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + quote(name[0])
                        + " USE INDEX (" + quote(name[1]) + ") ORDER BY " + columns)) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
            }
            return new Report(file, tables.size(), indexes.size(), rows, (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException e) {
            if (!isCorruption(e)) {
                throw new StoreException("Checking the store file " + file + " failed: " + firstLine(e.getMessage()), e);
            }
            throw new CorruptStoreException(file, (table == null ? "" : "table " + table + " cannot be read: ")
                    + shortDetail(e.getMessage()), e);
        } catch (RuntimeException e) { // H2's MVStore reports some damage unwrapped
            throw new CorruptStoreException(file, shortDetail(e.getMessage()), e);
        }
    }

    /** Whether a failure to open an H2 database says its file is damaged. */
    static boolean isCorruption(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == ErrorCode.FILE_CORRUPTED_1
                    || sql.getErrorCode() == ErrorCode.FILE_VERSION_ERROR_1)
                    || String.valueOf(t.getMessage()).contains("MVStoreException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Map<String, List<String>> indexColumns(Statement s) throws SQLException {
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS"
                + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA ORDER BY TABLE_NAME, INDEX_NAME, ORDINAL_POSITION")) {
            while (rs.next()) {
                indexes.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
                        .add(rs.getString(3));
            }
        }
        return indexes;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** H2's own words, without the kilobyte of chunk metadata it appends to a page it cannot read. */
    static String shortDetail(String message) {
        Matcher page = UNREADABLE_PAGE.matcher(String.valueOf(message));
        if (page.find()) {
            return page.group();
        }
        String line = firstLine(message);
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }

    static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int end = m.indexOf('\n');
        return (end < 0 ? m : m.substring(0, end)).strip();
    }
}
