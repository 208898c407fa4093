package org.itsmhub.plugin.nessus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile {@code .nessus} files, generated and streamed to disk (never held in memory whole): each
 * goes over one of {@link NessusFileLimits} and must fail at once, naming file, line, column and
 * the limit. The timeouts only stop a hang; nothing is timed.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // Aalto's loops ignore interrupts
class NessusFileLimitsTest {

    private static final String HEAD = """
            <?xml version="1.0"?>
            <NessusClientData_v2><Report name="r">
            """;
    private static final String HOST = """
            <ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
            <ReportItem port="0" svc_name="general" protocol="tcp" severity="1" pluginID="1" pluginName="x"/>
            </ReportHost>
            """;
    private static final String TAIL = "</Report></NessusClientData_v2>\n";

    private final NessusFileImporter importer = new NessusFileImporter();

    @TempDir
    Path tmp;

    @Test
    void twoHundredThousandDistinctElementNamesFailAtTheFirstNameOverTheLimit() throws IOException {
        Path file = write("names.nessus", out -> {
            out.write(ascii(HEAD + "<Policy>\n"));
            for (int i = 0; i < 200_000; i++) {
                out.write(ascii("<n" + i + "/>\n"));
            }
            out.write(ascii("</Policy>\n" + HOST + TAIL));
        });
        // names before the generated ones: NessusClientData_v2, Report, name, Policy
        int line = 4 + NessusFileLimits.MAX_NAMES - 4;

        assertThatThrownBy(() -> read(file)).isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":" + line + ":2: over a limit for .nessus files: more than 10,000 distinct "
                        + "element and attribute names");
    }

    @Test
    void twoMillionAttributesOnOneElementFailAtItsStartTag() throws IOException {
        Path file = write("attributes.nessus", out -> {
            out.write(ascii(HEAD + "<ReportHost name=\"10.0.0.9\""));
            for (int i = 0; i < 2_000_000; i++) {
                out.write(ascii(" a" + i + "=\"\""));
            }
            out.write(ascii(">\n</ReportHost>\n" + TAIL));
        });

        assertThatThrownBy(() -> read(file)).isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":3:1: over a limit for .nessus files: more than 1,000 attributes on one "
                        + "element <ReportHost>");
    }

    @Test
    void aHundredMegabyteAttributeFailsAtItsValue() throws IOException {
        Path file = write("attribute.nessus", out -> {
            out.write(ascii(HEAD + "<ReportHost name=\""));
            repeat(out, (byte) 'x', 100L << 20);
            out.write(ascii("\">\n</ReportHost>\n" + TAIL));
        });

        assertThatThrownBy(() -> read(file)).isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":3:18: over a limit for .nessus files: an attribute value longer than 1 MiB "
                        + "(1,048,576 bytes) on <ReportHost>");
    }

    @Test
    void aHundredAndFiftyMegabyteHostTagFailsAfterTheHostsBeforeItWereHandedOn() throws IOException {
        Path file = write("tag.nessus", out -> {
            out.write(ascii(HEAD + HOST + "<ReportHost name=\"10.0.0.10\"><HostProperties><tag name=\"x\">"));
            repeat(out, (byte) 'y', 150L << 20);
            out.write(ascii("</tag></HostProperties></ReportHost>\n" + TAIL));
        });
        List<Finding> before = new ArrayList<>();

        assertThatThrownBy(() -> importer.importFile(file, null, Severity.INFO, a -> { }, before::add))
                .isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":6:60: over a limit for .nessus files: a text longer than 64 MiB "
                        + "(67,108,864 bytes)");
        assertThat(before).hasSize(1);
    }

    @Test
    void aHugePluginOutputIsCountedLikeAnyOtherText() throws IOException {
        Path file = write("output.nessus", out -> {
            out.write(ascii(HEAD + """
                    <ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
                    <ReportItem port="0" svc_name="general" protocol="tcp" severity="1" pluginID="1" pluginName="x">
                    <plugin_output>"""));
            repeat(out, (byte) 'z', 65L << 20);
            out.write(ascii("</plugin_output></ReportItem></ReportHost>\n" + TAIL));
        });

        assertThatThrownBy(() -> read(file)).isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":5:16: over a limit for .nessus files: a text longer than 64 MiB "
                        + "(67,108,864 bytes)");
    }

    @Test
    void elementsNestedDeeperThanTheLimitFailAtTheFirstTooDeep() throws IOException {
        Path file = write("deep.nessus", out -> {
            out.write(ascii(HEAD + "<Policy>\n"));
            for (int i = 0; i < 100_000; i++) {
                out.write(ascii("<d>"));
            }
            for (int i = 0; i < 100_000; i++) {
                out.write(ascii("</d>"));
            }
            out.write(ascii("</Policy>\n" + HOST + TAIL));
        });
        // depth 3 is Policy; the first <d> is depth 4 at column 1
        int column = 1 + 3 * (NessusFileLimits.MAX_DEPTH - 3);

        assertThatThrownBy(() -> read(file)).isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":4:" + column + ": over a limit for .nessus files: elements nested more "
                        + "than 100 deep");
    }

    @Test
    void aFileInUtf16IsRefusedSayingWhichEncodingsAreRead() throws IOException {
        Path file = tmp.resolve("utf16.nessus");
        Files.writeString(file, "\uFEFF" + HEAD.replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>")
                + HOST + TAIL, StandardCharsets.UTF_16LE);

        assertThatThrownBy(() -> read(file)).isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":1:1: over a limit for .nessus files: the file is in UTF-16 or UTF-32; .nessus "
                        + "files are read in UTF-8 (or another ASCII-compatible encoding)");
    }

    @Test
    void aFileJustWithinEveryLimitIsRead() throws IOException {
        Path file = write("within.nessus", out -> {
            out.write(ascii(HEAD + "<Policy>"));
            for (int i = 0; i < NessusFileLimits.MAX_DEPTH - 3; i++) {
                out.write(ascii("<d>"));
            }
            for (int i = 0; i < NessusFileLimits.MAX_DEPTH - 3; i++) {
                out.write(ascii("</d>"));
            }
            out.write(ascii("<e"));
            for (int i = 0; i < NessusFileLimits.MAX_ATTRIBUTES - 1; i++) {
                out.write(ascii(" a" + i + "=\"\""));
            }
            out.write(ascii(" v=\""));
            repeat(out, (byte) 'v', NessusFileLimits.MAX_ATTRIBUTE_VALUE);
            out.write(ascii("\"/>"));
            out.write(ascii("</Policy>\n" + HOST.replace("<HostProperties>", "<HostProperties><tag name=\"x\">a<!-- a comment -->"
                    + "<![CDATA[ <cdata> ]]><?pi ?>b</tag>") + TAIL));
        });
        List<Finding> findings = new ArrayList<>();

        importer.importFile(file, null, Severity.INFO, a -> { }, findings::add);

        assertThat(findings).hasSize(1);
    }

    private void read(Path file) {
        importer.importFile(file, null, Severity.INFO, a -> { }, f -> { });
    }

    private interface Writing {
        void to(OutputStream out) throws IOException;
    }

    private Path write(String name, Writing writing) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            writing.to(out);
        }
        return file;
    }

    private static void repeat(OutputStream out, byte b, long count) throws IOException {
        byte[] block = new byte[1 << 16];
        Arrays.fill(block, b);
        for (long left = count; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
