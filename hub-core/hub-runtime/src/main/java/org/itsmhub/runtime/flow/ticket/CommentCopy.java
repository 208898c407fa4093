package org.itsmhub.runtime.flow.ticket;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.runtime.flow.ticket.CorrelationIds.Side;

/**
 * How a comment looks on the other side: the original text, then a line saying who wrote it where,
 * ending in a marker naming the original comment ({@code (ih:c:L:10042)}). The marker lets the hub
 * recognise its copies when it reads the other side's comments, so a copy is never copied back and
 * a copy made just before a crash is not made twice.
 */
final class CommentCopy {

    private static final Pattern MARKER = Pattern.compile("\\(ih:c:([LR]):([^)\\s]+)\\)\\s*$");
    private static final String BACK_LINK_MARKER = "(ih:link)";

    private CommentCopy() {
    }

    static String body(Comment original, Side originSide, String originSystem) {
        String author = original.author() == null ? "unknown author" : original.author().label();
        return original.body().stripTrailing() + "\n\n— " + author + ", via " + originSystem + " (ih:c:"
                + originSide.letter() + ":" + original.ref().id() + ")";
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

    /** The original a copy was made from, when the body ends in a marker. */
    static Optional<CorrelationIds.Origin> originOf(Comment comment) {
        Matcher m = MARKER.matcher(comment.body());
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new CorrelationIds.Origin(m.group(1).equals("L") ? Side.LEFT : Side.RIGHT, m.group(2)));
    }
}
