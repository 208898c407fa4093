package org.itsmhub.runtime;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/** An H2 trigger that refuses every row, to stand for a store that still answers reads but no longer writes. */
public final class RefusingTrigger implements Trigger {

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("writes refused by the test");
    }
}
