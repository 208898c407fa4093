package org.itsmhub.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a documentation page generated from code, kept between two marker lines, so that a test
 * fails when the page and the code differ. With {@code -Ditsmhub.docs.write=true} the test rewrites the
 * part in place instead of failing.
 *
 * @since 0.3 (issue 16: sandbox endpoint tables)
 */
public final class GeneratedDocSection {

    private GeneratedDocSection() {
    }

    /** Asserts that {@code page} holds {@code generated} between {@code start} and {@code end} (or rewrites it). */
    public static void check(Path page, String start, String end, String generated) {
        try {
            assertThat(page).as("documentation page").exists();
            String text = Files.readString(page);
            int from = text.indexOf(start);
            int to = text.indexOf(end);
            assertThat(from).as(page + " has the marker " + start).isNotNegative();
            assertThat(to).as(page + " has the marker " + end).isGreaterThan(from);
            String current = text.substring(from + start.length(), to).strip();
            if (Boolean.getBoolean("itsmhub.docs.write") && !current.equals(generated.strip())) {
                Files.writeString(page, text.substring(0, from + start.length()) + "\n" + generated.strip() + "\n"
                        + text.substring(to));
                return;
            }
            assertThat(current).as(page + " generated part (regenerate with -Ditsmhub.docs.write=true)")
                    .isEqualTo(generated.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
