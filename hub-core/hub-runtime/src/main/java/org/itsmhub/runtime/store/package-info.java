/**
 * The hub's state store: everything the hub must remember between runs and share between nodes.
 *
 * <p>{@link org.itsmhub.runtime.store.HubStore} opens a HikariCP pool, applies the Flyway migrations
 * and hands out one small repository per table: links, cursors, outbox, dead letters, sync runs and
 * the append-only audit log. Plain JDBC, no ORM.
 *
 * <p><b>Databases.</b> Embedded H2 (default {@code jdbc:h2:file:./data/hub}, regular mode) and
 * PostgreSQL 15 run the same schema and the same DML. The SQL sticks to the subset both accept:
 * identity columns, {@code FETCH FIRST n ROWS ONLY}, {@code FOR UPDATE SKIP LOCKED},
 * {@code TIMESTAMP WITH TIME ZONE}. H2's PostgreSQL mode is not used: it would only add
 * {@code ON CONFLICT DO NOTHING} (not {@code DO UPDATE}), so upserts would still differ; instead every
 * upsert is "update, else insert, and on a unique violation update again", which both databases
 * run identically and which stays correct when two nodes race. Only the migrations that cannot be
 * shared (the audit-log trigger, the Quartz tables) live in a vendor folder, chosen in code by
 * {@link org.itsmhub.runtime.store.DatabaseVendor}.
 *
 * <p><b>Several nodes.</b> No state lives only in memory. Uniqueness is enforced by the database
 * (links per side, outbox idempotency keys, one open dead letter per record); outbox entries are
 * claimed with {@code SELECT ... FOR UPDATE SKIP LOCKED} plus a conditional update and a lease, so
 * two nodes never work on the same entry and a crashed node's claims expire.
 *
 * <p><b>Time.</b> All timestamps are UTC {@link java.time.Instant}s taken from the store's
 * {@link java.time.Clock}, truncated to microseconds (the precision both databases keep), and stored
 * as {@code TIMESTAMP WITH TIME ZONE}.
 *
 * <p><b>Errors.</b> Every JDBC failure surfaces as an unchecked
 * {@link org.itsmhub.runtime.store.StoreException} naming the operation; passwords never appear in
 * messages.
 *
 * <p><b>Threading.</b> {@code HubStore} and all repositories are thread-safe; each call borrows a
 * pooled connection for its own duration.
 */
package org.itsmhub.runtime.store;
