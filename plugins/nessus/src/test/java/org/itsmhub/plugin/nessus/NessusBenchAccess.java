package org.itsmhub.plugin.nessus;

import java.nio.file.Path;

import org.itsmhub.api.connector.FindingFileImporter.ImportSummary;
import org.itsmhub.api.model.Severity;

/** Test-only door for the benchmark in {@code bench/} to the package-private parser. */
public final class NessusBenchAccess {

    private NessusBenchAccess() {
    }

    public static long countElements(Path file, boolean readText) {
        return NessusFileParser.countElements(file, readText);
    }

    /** The parser with a handler that only counts (no mapping to the canonical model); returns {items, hosts}. */
    public static long[] parseOnly(Path file) {
        long[] counts = {0, 0};
        new NessusFileParser(file).parse(new NessusFileParser.Handler() {
            @Override
            public void host(NessusHost host) {
                counts[1]++;
            }

            @Override
            public void item(NessusHost host, NessusReportItem item) {
                counts[0]++;
            }
        });
        return counts;
    }

    /** The real import of every finding, consumers only counting; returns {findings, hosts}. */
    public static long[] importCounting(Path file) {
        long[] findings = {0};
        ImportSummary summary = new NessusFileImporter().importFile(file, "bench", Severity.INFO, a -> { },
                f -> findings[0]++);
        return new long[] {findings[0], summary.hosts()};
    }
}
