package org.itsmhub.runtime.flow.ticket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.runtime.flow.ticket.CorrelationIds.Side;

/**
 * The text the hub writes into ticket systems, and how it recognises that text when it reads it back.
 *
 * <p>A copied comment is the original text, then a line saying who wrote it where. Everything the
 * hub writes (copies, its note on a status change, a resolution note it carries across) ends in a
 * <em>marker</em> ({@code ih:c:L:10042} names the original comment, {@code ih:n} a hub note,
 * {@code ih:r} a carried resolution note). The marker lets the hub recognise its own text when it
 * reads the other side's comments, so nothing it wrote is copied back, and a copy made just before
 * a crash is not made twice.
 *
 * <p>Customers read these comments, so the marker is invisible: its UTF-8 bytes written as zero-width
 * characters (U+200B for 0, U+200C for 1) between two zero-width joiners (U+200D). Every ticket
 * system keeps them as they are (they are ordinary text to ServiceNow's journal, to Jira's ADF and to
 * Freshdesk's HTML), none shows them. The marker ends the text (a person's reply quoting it has
 * text after it, or around it: a note's marker carries a digest of the note). Markers written
 * before 0.2 as visible text ({@code (ih:c:L:10042)}) are still recognised.
 */
final class CommentCopy {

    /** The hub's own note on a status change (for the agents of the target system). */
    static final String HUB_NOTE = "ih:n";
    /** A resolution note the hub carried across from the other system. */
    static final String RESOLUTION_NOTE = "ih:r";

    private static final char FRAME = '\u200D';
    private static final char ZERO = '\u200B';
    private static final char ONE = '\u200C';
    private static final Pattern HIDDEN = Pattern.compile(FRAME + "([" + ZERO + ONE + "]{8,})" + FRAME);
    private static final Pattern COPY = Pattern.compile("ih:c:([LR]):(\\S+)");
    private static final Pattern LEGACY = Pattern.compile("\\(ih:c:([LR]):([^)\\s]+)\\)\\s*$");
    private static final String BACK_LINK_MARKER = "(ih:link)";
    private static final Pattern NOTE = Pattern.compile("(ih:[nr])(?::([0-9a-f]{8}))?");
    /** White space, and the characters a vendor may add or drop around it, left out of a digest. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\s\u00A0\u200B-\u200D\u2060\uFEFF]+");

    private CommentCopy() {
    }

    static String body(Comment original, Side originSide, String originSystem) {
        String author = original.author() == null ? "unknown author" : original.author().label();
        return original.body().stripTrailing() + "\n\n— " + author + ", via " + originSystem
                + hidden("ih:c:" + originSide.letter() + ":" + original.ref().id());
    }

    /**
     * {@code text} ending in an invisible marker of the given kind ({@link #HUB_NOTE},
     * {@link #RESOLUTION_NOTE}) with a digest of the text, so that a person's reply quoting it (text
     * of their own around the quote) is not taken for the hub's.
     */
    static String marked(String text, String kind) {
        return text.stripTrailing() + hidden(kind + ":" + digest(text));
    }

    /**
     * The back-link the hub leaves on a record it made a twin of: an internal note naming the twin,
     * ending in a marker so it is never copied to the twin.
     */
    static String backLink(ExternalRef twin) {
        return "ITSM Hub keeps this ticket in step with " + twin.system() + " " + twin.id()
                + (twin.url() == null ? "" : " (" + twin.url() + ")") + ". " + BACK_LINK_MARKER;
    }

    /** Whether a comment is the hub's back-link note. */
    static boolean isBackLink(Comment comment) {
        return comment.body() != null && comment.body().stripTrailing().endsWith(BACK_LINK_MARKER);
    }

    /**
     * Whether the hub wrote this text: a copy, a back-link, a status or resolution note. Its marker
     * ends the text; a note's marker must also match the digest of the text it follows.
     */
    static boolean isHubText(String text) {
        if (text == null) {
            return false;
        }
        if (text.stripTrailing().endsWith(BACK_LINK_MARKER) || LEGACY.matcher(text).find()) {
            return true;
        }
        Matcher m = HIDDEN.matcher(text);
        int segmentStart = 0;
        int lastStart = -1;
        int lastEnd = -1;
        String bits = null;
        while (m.find()) {
            if (lastEnd >= 0) {
                segmentStart = lastEnd;
            }
            lastStart = m.start();
            lastEnd = m.end();
            bits = m.group(1);
        }
        Optional<String> marker = bits == null ? Optional.empty() : decode(bits);
        if (marker.isEmpty() || !text.substring(lastEnd).isBlank()) {
            return false;
        }
        Matcher note = NOTE.matcher(marker.get());
        return !note.matches() || note.group(2) == null
                || note.group(2).equals(digest(text.substring(segmentStart, lastStart)));
    }

    /** A short digest of what a person reads, insensitive to how a vendor reflows white space. */
    static String digest(String text) {
        String visible = INVISIBLE.matcher(text).replaceAll("");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(visible.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The original a copy was made from, when the body ends in a copy marker. */
    static Optional<CorrelationIds.Origin> originOf(Comment comment) {
        Optional<String> marker = markerOf(comment.body());
        Matcher m = COPY.matcher(marker.orElse(""));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CorrelationIds.Origin(m.group(1).equals("L") ? Side.LEFT : Side.RIGHT, m.group(2)));
    }

    /** The last marker in {@code text}: invisible, or visible as written before 0.2. */
    static Optional<String> markerOf(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = HIDDEN.matcher(text);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        Optional<String> marker = found == null ? Optional.empty() : decode(found);
        if (marker.isPresent()) {
            return marker;
        }
        Matcher legacy = LEGACY.matcher(text);
        return legacy.find() ? Optional.of("ih:c:" + legacy.group(1) + ":" + legacy.group(2)) : Optional.empty();
    }

    private static Optional<String> decode(String bits) {
        if (bits.length() % 8 != 0) {
            return Optional.empty();
        }
        byte[] bytes = new byte[bits.length() / 8];
        for (int i = 0; i < bytes.length; i++) {
            int b = 0;
            for (int bit = 0; bit < 8; bit++) {
                b = (b << 1) | (bits.charAt(i * 8 + bit) == ONE ? 1 : 0);
            }
            bytes[i] = (byte) b;
        }
        String marker = new String(bytes, StandardCharsets.UTF_8);
        return marker.startsWith("ih:") ? Optional.of(marker) : Optional.empty();
    }

    static String hidden(String marker) {
        StringBuilder sb = new StringBuilder().append(FRAME);
        for (byte b : marker.getBytes(StandardCharsets.UTF_8)) {
            for (int bit = 7; bit >= 0; bit--) {
                sb.append(((b >> bit) & 1) == 1 ? ONE : ZERO);
            }
        }
        return sb.append(FRAME).toString();
    }
}
