package org.itsmhub.sandbox.nessus;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A {@code .nessus} (v2) file that the sandbox serves as one completed scan: its path and the scan
 * name from {@code <Report name="...">}. Checked once when it is added, by streaming (never read into
 * memory): not empty, root element {@code NessusClientData_v2}, UTF-8 throughout.
 *
 * @param file       the file on disk, served as the scan's export
 * @param reportName the scan name ({@code Report/@name}, else the file name without extension)
 * @param size       its size in bytes
 */
record NessusExportFile(Path file, String reportName, long size) {

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    /** Reads and checks a file; {@link IllegalArgumentException} with the file name when it is not served. */
    static NessusExportFile of(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new IllegalArgumentException(file + ": the file is empty (0 bytes), not a .nessus export");
            }
            checkUtf8(file);
            return new NessusExportFile(file, reportName(file), size);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String reportName(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = XML.createXMLStreamReader(in);
            try {
                boolean root = true;
                while (xml.hasNext()) {
                    if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    String element = xml.getLocalName();
                    if (root) {
                        if (!element.equals("NessusClientData_v2")) {
                            throw new IllegalArgumentException(file + ": root element is <" + element
                                    + ">, expected <NessusClientData_v2>: not a .nessus v2 export");
                        }
                        root = false;
                    } else if (element.equals("Report")) {
                        String name = xml.getAttributeValue(null, "name");
                        if (name != null && !name.isBlank()) {
                            return name;
                        }
                        break;
                    }
                }
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException(file + ": not well-formed XML: " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        return name.endsWith(".nessus") ? name.substring(0, name.length() - ".nessus".length()) : name;
    }

    /** Every real export is UTF-8, and the connector reads the download as such. */
    private static void checkUtf8(Path file) throws IOException {
        try (Reader in = new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            char[] buffer = new char[64 * 1024];
            while (in.read(buffer) >= 0) {
                // decoding is the check
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 encoded; the sandbox serves UTF-8 exports only", e);
        }
    }
}
