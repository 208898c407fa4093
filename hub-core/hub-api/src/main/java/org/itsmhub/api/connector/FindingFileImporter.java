package org.itsmhub.api.connector;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.Severity;

/**
 * Reads findings from a vendor's export file (e.g. a {@code .nessus} scan) without a connection:
 * behind {@code itsm-hub import <format> FILE}. Offered by a factory through
 * {@link ConnectorFactory#fileImporter()}.
 *
 * <p>Files can be hundreds of megabytes: implementations stream, never hold the whole file in
 * memory, and hand each record to the consumers as soon as it is complete.
 *
 * @since 0.1
 */
public interface FindingFileImporter {

    /** The format name used on the command line, e.g. {@code nessus}. */
    String format();

    /**
     * Imports one file.
     *
     * @param file        the export file
     * @param tenant      the tenant the findings belong to (part of their keys' scope), or null
     * @param minSeverity findings below this are counted but not handed on
     * @param assets      receives each host/device found, once
     * @param findings    receives each finding at or above {@code minSeverity}
     * @return what was read
     * @throws org.itsmhub.api.error.DataMappingException when the file is not of this format or is
     *         broken; the message names the file, line and column. Records handed on before the
     *         error must not be taken as a complete import.
     */
    ImportSummary importFile(Path file, String tenant, Severity minSeverity, Consumer<Asset> assets,
            Consumer<Finding> findings);

    /**
     * What an import read.
     *
     * @param hosts              hosts or devices in the file
     * @param findingsBySeverity every finding in the file by severity, including those below the threshold
     * @param handedOn           findings handed to the consumer
     */
    record ImportSummary(long hosts, java.util.Map<Severity, Long> findingsBySeverity, long handedOn) {
        public ImportSummary {
            findingsBySeverity = java.util.Map.copyOf(findingsBySeverity);
        }
    }
}
