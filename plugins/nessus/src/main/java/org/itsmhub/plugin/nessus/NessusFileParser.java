package org.itsmhub.plugin.nessus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import org.codehaus.stax2.XMLStreamReader2;
import org.itsmhub.api.error.DataMappingException;

/**
 * Streams a {@code NessusClientData_v2} file (Tenable's ".nessus File Format") with StAX: each
 * host is handed on when its {@code HostProperties} are complete, each report item as soon as its
 * end tag is read. Nothing but the current host and item is held, so memory does not grow with the
 * file. {@code Policy} and every element not used are skipped without building their text.
 *
 * <p>Aalto is created directly (no {@code ServiceLoader}: inside a plugin the JDK's would win) with
 * DTDs and external entities off; character references and the five predefined entities are
 * decoded. Any failure is a {@link DataMappingException} whose message starts with
 * {@code FILE:LINE:COLUMN:}.
 *
 * <p>Not thread-safe; create one per file (cheap).
 */
final class NessusFileParser {

    static final String ROOT = "NessusClientData_v2";
    static final String LEGACY_ROOT = "NessusClientData";

    /** Receives the file's content in document order. */
    interface Handler {

        /** A host, once, before its items. */
        void host(NessusHost host);

        /** One report item of {@code host}. */
        void item(NessusHost host, NessusReportItem item);
    }

    private static final XMLInputFactory FACTORY = newFactory();
    /** Plugin output kept while reading: what the mapper shows, plus room for leading whitespace. */
    static final int OUTPUT_PREFIX = NessusFindingMapper.MAX_OUTPUT + 256;

    private static final Handler IGNORE = new Handler() {
        @Override
        public void host(NessusHost host) {
        }

        @Override
        public void item(NessusHost host, NessusReportItem item) {
        }
    };

    private final Path file;
    private final boolean cut;
    private XMLStreamReader2 reader;
    private PluginOutputCutter cutter;
    private DataMappingException located;

    NessusFileParser(Path file) {
        this(file, true);
    }

    /** @param cut whether plugin outputs are cut while reading ({@link PluginOutputCutter}); tests compare both */
    NessusFileParser(Path file, boolean cut) {
        this.file = file;
        this.cut = cut;
    }

    /** Creates Aalto's StAX factory with DTD processing and external entities off. */
    static XMLInputFactory newFactory() {
        XMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }

    /**
     * Parses the whole file, calling the handler as records complete; returns normally only when
     * the document was read to its end and is well-formed.
     */
    void parse(Handler handler) {
        try {
            read(handler);
        } catch (DataMappingException e) {
            if (e != located || cutter == null || !cutter.cutAny()) {
                throw e;
            }
            // a column after a cut plugin output is off by the cut: find the error again, uncut
            new NessusFileParser(file, false).parse(IGNORE);
            throw e;
        }
    }

    private void read(Handler handler) {
        try (InputStream in = open()) {
            reader = (XMLStreamReader2) FACTORY.createXMLStreamReader(in);
            try {
                readRoot();
                readReports(handler);
                while (reader.hasNext()) { // trailing comments only; anything else is a well-formedness error
                    reader.next();
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw overLimit(e).orElseGet(() -> fail(e.getLocation(), reason(e)));
        } catch (IOException e) {
            throw overLimit(e).orElseGet(() -> new DataMappingException(file + ": cannot read the file: " + e, e));
        } catch (DataMappingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw fail(null, e.getMessage());
        } catch (RuntimeException e) {
            overLimit(e).ifPresent(limit -> {
                throw limit;
            });
            // Aalto reports errors found while decoding text lazily (getText) as UncheckedStreamException
            if (e.getCause() instanceof XMLStreamException x) {
                throw fail(x.getLocation(), reason(x));
            }
            throw e;
        }
    }

    /**
     * Reads the file with the same parser and settings, only counting start elements: the
     * parser's ceiling, for the benchmark. With {@code readText}, also materialises every text
     * node as a String (which the count alone never does: Aalto skips undecoded text).
     */
    static long countElements(Path file, boolean readText) {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader2 r = (XMLStreamReader2) FACTORY.createXMLStreamReader(in);
            long count = 0;
            long chars = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    count++;
                } else if (readText && event == XMLStreamConstants.CHARACTERS) {
                    chars += r.getText().length();
                }
            }
            if (chars < 0) {
                throw new IllegalStateException(); // keeps the text reads from being optimised away
            }
            r.close();
            return count;
        } catch (IOException | XMLStreamException e) {
            throw new DataMappingException(file + ": " + e.getMessage(), e);
        }
    }

    private InputStream open() throws IOException {
        try {
            if (Files.size(file) == 0) {
                throw new DataMappingException(file + ":1:1: the file is empty (0 bytes), not a .nessus export");
            }
            InputStream in = new NessusFileLimits(Files.newInputStream(file));
            if (cut) {
                cutter = new PluginOutputCutter(in, OUTPUT_PREFIX);
                return cutter;
            }
            return in;
        } catch (NoSuchFileException e) {
            throw new DataMappingException(file + ": no such file", e);
        }
    }

    private void readRoot() throws XMLStreamException {
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                String root = reader.getLocalName();
                Location at = reader.getLocationInfo().getEndLocation();
                if (ROOT.equals(root)) {
                    return;
                }
                if (LEGACY_ROOT.equals(root)) {
                    throw fail(at, "legacy .nessus v1 format (<" + LEGACY_ROOT + ">) is not "
                            + "supported; export the scan again as .nessus (v2, <" + ROOT + ">)");
                }
                throw fail(at, "root element is <" + root + ">, expected <" + ROOT
                        + ">: not a .nessus v2 export");
            }
        }
        throw fail(reader.getLocation(), "no root element: not a .nessus v2 export");
    }

    /** Inside the root: skips Policy, walks Report/ReportHost. */
    private void readReports(Handler handler) throws XMLStreamException {
        int depth = 0; // below the root
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = reader.getLocalName();
                if ("ReportHost".equals(name)) {
                    readHost(handler);
                } else if ("Report".equals(name)) {
                    depth++;
                } else {
                    reader.skipElement();
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (depth == 0) {
                    return; // end of the root
                }
                depth--;
            }
        }
    }

    private void readHost(Handler handler) throws XMLStreamException {
        String name = reader.getAttributeValue(null, "name");
        Map<String, String> properties = new HashMap<>();
        NessusHost host = null;
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String element = reader.getLocalName();
                if ("HostProperties".equals(element) && host == null) {
                    readHostProperties(properties);
                    host = announce(handler, name, properties);
                } else if ("ReportItem".equals(element)) {
                    if (host == null) {
                        host = announce(handler, name, properties);
                    }
                    NessusReportItem item = readItem();
                    handler.item(host, item);
                } else {
                    reader.skipElement();
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (host == null) {
                    announce(handler, name, properties);
                }
                return;
            }
        }
    }

    private NessusHost announce(Handler handler, String name, Map<String, String> properties) {
        NessusHost host = new NessusHost(name == null ? "" : name, properties);
        handler.host(host);
        return host;
    }

    private void readHostProperties(Map<String, String> properties) throws XMLStreamException {
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String tag = reader.getAttributeValue(null, "name");
                String value = text();
                if (tag != null) {
                    properties.put(tag, value);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                return;
            }
        }
    }

    private NessusReportItem readItem() throws XMLStreamException {
        String pluginId = reader.getAttributeValue(null, "pluginID");
        String pluginName = reader.getAttributeValue(null, "pluginName");
        String pluginFamily = reader.getAttributeValue(null, "pluginFamily");
        String port = reader.getAttributeValue(null, "port");
        String protocol = reader.getAttributeValue(null, "protocol");
        String svcName = reader.getAttributeValue(null, "svc_name");
        int severity = severity(reader.getAttributeValue(null, "severity"));
        if (pluginId == null || pluginId.isBlank()) {
            throw fail(reader.getLocation(), "<ReportItem> without a pluginID attribute");
        }
        String riskFactor = null;
        String cvss = null;
        String cvss3 = null;
        String cvss3Vector = null;
        String synopsis = null;
        String description = null;
        String solution = null;
        String output = null;
        long outputLength = 0;
        List<String> cves = List.of();
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (reader.getLocalName()) {
                    case "cve" -> {
                        if (cves.isEmpty()) {
                            cves = new ArrayList<>(2);
                        }
                        cves.add(text().trim());
                    }
                    case "risk_factor" -> riskFactor = text();
                    case "cvss_base_score" -> cvss = text();
                    case "cvss3_base_score" -> cvss3 = text();
                    case "cvss3_vector" -> cvss3Vector = text();
                    case "synopsis" -> synopsis = text();
                    case "description" -> description = text();
                    case "solution" -> solution = text();
                    case "plugin_output" -> {
                        long at = cutter == null ? -1 : reader.getLocationInfo().getStartingByteOffset();
                        PrefixWriter prefix = new PrefixWriter(OUTPUT_PREFIX);
                        textInto(prefix);
                        output = prefix.text();
                        outputLength = prefix.total + (cutter == null ? 0 : cutter.droppedAt(at));
                    }
                    case "plugin_name" -> {
                        if (pluginName == null || pluginName.isBlank()) {
                            pluginName = text();
                        } else {
                            reader.skipElement(); // the attribute has it: not decoded
                        }
                    }
                    default -> reader.skipElement();
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                return new NessusReportItem(pluginId.trim(), pluginName, pluginFamily, port, protocol, svcName,
                        severity, riskFactor, cves, cvss, cvss3, cvss3Vector, synopsis, description, solution, output,
                        outputLength);
            }
        }
    }

    private int severity(String value) throws XMLStreamException {
        Location at = reader.getLocationInfo().getEndLocation();
        if (value == null) {
            throw fail(at, "<ReportItem> without a severity attribute");
        }
        String v = value.trim();
        if (v.length() == 1 && v.charAt(0) >= '0' && v.charAt(0) <= '4') {
            return v.charAt(0) - '0';
        }
        throw fail(at, "<ReportItem> severity must be 0-4, was '" + value + "'");
    }

    /** The text of the current element (character references decoded), skipping any child elements. */
    private String text() throws XMLStreamException {
        String first = null;
        StringBuilder more = null;
        int depth = 0;
        while (true) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (depth == 0) {
                        if (first == null) {
                            first = reader.getText();
                        } else {
                            if (more == null) {
                                more = new StringBuilder(first);
                            }
                            more.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                        }
                    }
                }
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> {
                    if (depth == 0) {
                        return more != null ? more.toString() : first == null ? "" : first;
                    }
                    depth--;
                }
                default -> {
                }
            }
        }
    }

    /**
     * Like {@link #text()}, but copies only what {@code out} keeps from the parser's buffer, so that
     * a plugin output of megabytes never becomes one String.
     */
    private void textInto(PrefixWriter out) throws XMLStreamException {
        int depth = 0;
        while (true) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (depth == 0) {
                        out.write(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                    }
                }
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> {
                    if (depth == 0) {
                        return;
                    }
                    depth--;
                }
                default -> {
                }
            }
        }
    }

    /** Keeps the first {@code limit} characters written and counts all. */
    static final class PrefixWriter {
        private final int limit;
        /** The first piece, as long as it is the only one: most texts are one piece and need no copy. */
        private String first;
        private StringBuilder kept;
        long total;

        PrefixWriter(int limit) {
            this.limit = limit;
        }

        void write(char[] buf, int off, int len) {
            if (total == 0) {
                first = new String(buf, off, Math.min(limit, len));
            } else {
                if (kept == null) {
                    kept = new StringBuilder(Math.min(limit, first.length() + len)).append(first);
                }
                int room = limit - kept.length();
                if (room > 0) {
                    kept.append(buf, off, Math.min(room, len));
                }
            }
            total += len;
        }

        String text() {
            return total == 0 ? "" : kept != null ? kept.toString() : first;
        }
    }

    private DataMappingException fail(Location location, String reason) {
        Location at = location != null ? location : reader == null ? null : reader.getLocation();
        String where = at == null ? "" : ":" + Math.max(1, at.getLineNumber()) + ":" + Math.max(1, at.getColumnNumber());
        located = new DataMappingException(file + where + ": " + reason);
        return located;
    }

    /**
     * The file went over one of {@link NessusFileLimits}: the parser wraps the stream's exception (or
     * not), so it is looked for among the causes. Its position is the file's own, never shifted by
     * a cut, so the file need not be parsed again.
     */
    private Optional<DataMappingException> overLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NessusFileLimits.Exceeded limit) {
                return Optional.of(new DataMappingException(file + ":" + NessusFileLimits.position(file, limit.offset)
                        + ": over a limit for .nessus files: " + limit.getMessage()));
            }
        }
        return Optional.empty();
    }

    /** The parser's own words, without its "at [row,col ...]" suffix (the location is printed separately). */
    private static String reason(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("\n at [");
        if (at >= 0) {
            message = message.substring(0, at);
        }
        return "not well-formed XML: " + message.replace('\n', ' ').strip();
    }
}
