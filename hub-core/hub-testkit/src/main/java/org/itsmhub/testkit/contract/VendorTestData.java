package org.itsmhub.testkit.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real vendor material the tests use, kept in the repository under {@code testdata/<vendor>/}
 * (each folder's {@code PROVENANCE.md} names source and licence; {@code NOTICE} lists them). Found
 * from any module's working directory by walking up to the checkout's root, and never outside it:
 * a clone must pass its tests with nothing beside it.
 */
public final class VendorTestData {

    private VendorTestData() {
    }

    /** The {@code testdata} folder of this checkout; fails with a clear message when it cannot be found. */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testdata");
            if (Files.isDirectory(candidate) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no testdata/ folder in the checkout above " + start
                + "; the vendor test material lives in testdata/<vendor>/ at the repository root");
    }

    /** A vendor file, e.g. {@code path("jira", "spec-examples/GET_rest_api_3_search_jql_200_example.json")}. */
    public static Path path(String vendor, String relative) {
        Path p = root().resolve(vendor).resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test data not found: " + p);
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
