package org.itsmhub.plugin.nessus;

import java.util.List;

/**
 * One {@code ReportItem} of a {@code .nessus} file, with the attributes and child elements the
 * mappers use; any field may be null except {@code pluginId} and {@code cves}. {@code pluginOutput}
 * holds at most the first {@link NessusFileParser#OUTPUT_PREFIX} characters of the output, whose
 * full length is {@code pluginOutputLength}.
 */
record NessusReportItem(String pluginId, String pluginName, String pluginFamily, String port, String protocol,
        String svcName, int severity, String riskFactor, List<String> cves, String cvssBaseScore,
        String cvss3BaseScore, String cvss3Vector, String synopsis, String description, String solution,
        String pluginOutput, long pluginOutputLength) {

    NessusReportItem {
        cves = List.copyOf(cves);
    }
}
