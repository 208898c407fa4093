package org.itsmhub.runtime.flow.ticket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

import org.itsmhub.api.model.Ticket;

/**
 * What one side of a linked pair looked like at the last sync, as a short hash per synced field.
 * Comparing a ticket with its side's snapshot tells which fields a human changed since, and a
 * ticket whose fields all match its snapshot (for example the hub's own write read back) needs
 * nothing. Stored as text in the link's version column of that side, e.g.
 * {@code title=1a2b3c4d5e6f;status=6f1e...}.
 */
final class FieldSnapshot {

    private static final String PROVISIONAL = "provisional";

    private final Map<SyncedField, String> hashes;
    private final boolean provisional;

    private FieldSnapshot(Map<SyncedField, String> hashes, boolean provisional) {
        this.hashes = hashes;
        this.provisional = provisional;
    }

    /** The snapshot of a ticket's current values. */
    static FieldSnapshot of(Ticket ticket) {
        return of(ticket, false);
    }

    /**
     * The snapshot of what the hub sent in a create, before the target was read: the target may
     * have made something else of a value (a default status, a reformatted description), so the
     * first read of the twin replaces it (see {@link #isProvisional()}). Stored as
     * {@code provisional;title=...}.
     */
    static FieldSnapshot provisional(Ticket sent) {
        return of(sent, true);
    }

    private static FieldSnapshot of(Ticket ticket, boolean provisional) {
        Map<SyncedField, String> hashes = new EnumMap<>(SyncedField.class);
        for (SyncedField f : SyncedField.values()) {
            hashes.put(f, hash(f.valueOf(ticket)));
        }
        return new FieldSnapshot(hashes, provisional);
    }

    /** Whether this is what the hub sent in a create rather than what the target was seen to hold. */
    boolean isProvisional() {
        return provisional;
    }

    /** Parses the stored form; null or unreadable text is an unknown snapshot (every field counts as changed). */
    static FieldSnapshot parse(String text) {
        Map<SyncedField, String> hashes = new EnumMap<>(SyncedField.class);
        boolean provisional = false;
        if (text != null) {
            for (String part : text.split(";")) {
                provisional |= part.equals(PROVISIONAL);
                int eq = part.indexOf('=');
                if (eq > 0) {
                    for (SyncedField f : SyncedField.values()) {
                        if (f.parameterName().equals(part.substring(0, eq))) {
                            hashes.put(f, part.substring(eq + 1));
                        }
                    }
                }
            }
        }
        return new FieldSnapshot(hashes, provisional);
    }

    /** Whether the ticket's value of the field differs from this snapshot. */
    boolean changed(SyncedField field, Ticket ticket) {
        return !hash(field.valueOf(ticket)).equals(hashes.get(field));
    }

    String format() {
        StringBuilder sb = new StringBuilder(provisional ? PROVISIONAL : "");
        hashes.forEach((f, h) -> sb.append(sb.length() == 0 ? "" : ";").append(f.parameterName()).append('=').append(h));
        return sb.toString();
    }

    private static String hash(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
