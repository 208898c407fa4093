package org.itsmhub.testkit.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real vendor material in {@code ../shared/fixtures/<vendor>/}, found from any module's
 * working directory by walking up to the folder beside the checkout. Read them in place; never copy
 * them into the repository.
 */
public final class SharedFixtures {

    private SharedFixtures() {
    }

    /** The fixtures folder; fails with a clear message when it cannot be found. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared/fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no shared/fixtures folder above " + Path.of("").toAbsolutePath()
                + "; the vendor fixtures live in ../shared/fixtures beside the checkout");
    }

    /** A fixture file, e.g. {@code path("jira", "spec-examples/GET_rest_api_3_search_jql_200_example.json")}. */
    public static Path path(String vendor, String relative) {
        Path p = root().resolve(vendor).resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture not found: " + p);
        }
        return p;
    }

    public static String read(String vendor, String relative) {
        try {
            return Files.readString(path(vendor, relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
