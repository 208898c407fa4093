package org.itsmhub.e2e;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.api.Trigger;

/**
 * An H2 trigger on the store's {@code links} table that makes the next ticket link write(s) fail,
 * the way a crash right after "twin created in the target" and before "link stored" would leave
 * things: the twin exists, the outbox intent is pending, no link. Installed by a test in the hub's
 * own H2 file; the hub under test runs its real code and gets a real SQL failure.
 */
public final class FailingLinkWrite implements Trigger {

    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    /** Installs the trigger in the store behind {@code connection}. */
    static void install(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TRIGGER IF NOT EXISTS e2e_failing_link_write BEFORE INSERT ON links "
                    + "FOR EACH ROW CALL '" + FailingLinkWrite.class.getName() + "'");
        }
    }

    /** The next {@code count} ticket link inserts fail; 0 lets every write through. */
    static void failNext(int count) {
        FAILURES_LEFT.set(count);
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        // columns: id, tenant_id, sync_id, record_kind, ...
        if (newRow != null && "ticket".equalsIgnoreCase(String.valueOf(newRow[3]))
                && FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLException("injected by the e2e test: the process died before the link was stored");
        }
    }
}
