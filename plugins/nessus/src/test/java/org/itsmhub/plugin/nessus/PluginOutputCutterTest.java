package org.itsmhub.plugin.nessus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cutting plugin outputs while reading must change nothing but speed: every file reads to the same
 * hosts and items cut as uncut, and a broken file fails with the same message and position.
 */
class PluginOutputCutterTest {

    private static final int KEEP = NessusFileParser.OUTPUT_PREFIX;

    @TempDir
    Path tmp;

    @Test
    void everyFixtureReadsToTheSameHostsAndItemsCutAsUncut() throws IOException {
        int files = 0;
        long longOutputs = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(VendorTestData.root().resolve("nessus"), "*.nessus")) {
            for (Path file : dir) {
                if (Files.size(file) == 0 || !Files.readString(file).contains("<NessusClientData_v2")) {
                    continue;
                }
                Parsed cut = parse(file, true);
                Parsed uncut = parse(file, false);
                assertThat(cut.items).as(file.toString()).isEqualTo(uncut.items);
                assertThat(cut.hosts).as(file.toString()).isEqualTo(uncut.hosts);
                longOutputs += cut.items.stream().filter(i -> i.pluginOutputLength() > KEEP).count();
                files++;
            }
        }
        assertThat(files).isGreaterThanOrEqualTo(12);
        assertThat(longOutputs).as("items whose output was cut").isGreaterThan(10);
    }

    @Test
    void aCutOutputKeepsItsBeginningAndItsExactLengthWhateverItsTailHolds() throws IOException {
        String tail = " tail\r\nwith &amp; &lt;refs&gt; &#x1F600; &#233; caf\u00e9 \u4e2d\u6587 ]] ] > \t tab\rcr\n"
                + "<!-- a comment <plugin_output> -->more <![CDATA[x < y ]] >]]> after <b>child</b> and the end ";
        String output = "\n" + "x".repeat(KEEP + 17) + " " + tail.repeat(300);
        Path file = write("tail.nessus", nessus(output));
        Path amp = write("amp.nessus", nessus("z".repeat(KEEP + 5) + "&amp;" + "y".repeat(10_000)));

        Parsed cut = parse(file, true);
        Parsed uncut = parse(file, false);

        assertThat(cut.items).isEqualTo(uncut.items);
        NessusReportItem item = cut.items.get(0);
        assertThat(item.pluginOutput()).hasSize(KEEP);
        assertThat(item.pluginOutput().equals("\n" + "x".repeat(KEEP - 1))).isTrue();
        // references count as what they stand for; comments, CDATA markup and a child's text do not count
        assertThat(item.pluginOutputLength()).isEqualTo(output.replace("\r\n", "\n").length() - 300 * (
                "&amp; &lt;refs&gt; &#x1F600; &#233;".length() - "& <refs> \uD83D\uDE00 \u00e9".length()
                + "<!-- a comment <plugin_output> -->".length() + "<![CDATA[]]>".length() + "<b>child</b>".length()));
        assertThat(parse(amp, true).items.get(0).pluginOutputLength()).isEqualTo(KEEP + 5 + 1 + 10_000);
    }

    @Test
    void anOutputShorterThanWhatIsKeptIsNotTouched() throws IOException {
        Path file = write("short.nessus", nessus("short &lt;output&gt; " + "s".repeat(KEEP - 100)));

        assertThat(parse(file, true).items).isEqualTo(parse(file, false).items);
        assertThat(parse(file, true).items.get(0).pluginOutputLength()).isEqualTo(KEEP - 100 + 15);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"a ]]> in text", "an undeclared &bogus; entity", "a bare & ampersand",
            "a control \u0001 character", "an unclosed <b> child", "a bad &#x0; reference"})
    void aBrokenTailFailsWithTheMessageAndPositionOfTheUncutRead(String broken) throws IOException {
        String output = "o".repeat(KEEP + 500) + " and some more text before " + broken + " and after it";
        Path file = write("broken.nessus", nessus(output));

        DataMappingException cut = catchThrowableOfType(() -> parse(file, true), DataMappingException.class);
        DataMappingException uncut = catchThrowableOfType(() -> parse(file, false), DataMappingException.class);

        assertThat(uncut).isNotNull();
        assertThat(cut).isNotNull().hasMessage(uncut.getMessage());
        assertThat(cut.getMessage()).startsWith(file + ":6:");
    }

    @Test
    void onlyPlainCharactersAfterTheKeptPrefixOfAPluginOutputAreLeftOut() throws IOException {
        String head = "<ReportItem><description>" + "d".repeat(3 * KEEP) + "</description><plugin_output>";
        String text = "p".repeat(KEEP) + "qqq&amp;rrr\nsss]ttt"; // line feeds are plain, ] is not
        String rest = "</plugin_output><!-- <plugin_output>" + "c".repeat(2 * KEEP) + " --></ReportItem>";
        byte[] in = (head + text + rest).getBytes(StandardCharsets.UTF_8);

        for (int chunk : new int[] {1, 7, 15, 4096, 1 << 20}) {
            try (PluginOutputCutter cutter = new PluginOutputCutter(new Trickle(in, chunk), KEEP)) {
                String out = new String(readAll(cutter, chunk), StandardCharsets.UTF_8);

                assertThat(out).as("chunk %d", chunk)
                        .isEqualTo(head + "p".repeat(KEEP) + "&amp;r]t" + rest);
                assertThat(cutter.droppedAt(head.length() - "<plugin_output>".length())).isEqualTo(3 + 6 + 2);
                assertThat(cutter.droppedAt(Long.MAX_VALUE - 1)).isZero();
            }
        }
    }

    private static Parsed parse(Path file, boolean cut) {
        Parsed parsed = new Parsed();
        new NessusFileParser(file, cut).parse(new NessusFileParser.Handler() {
            @Override
            public void host(NessusHost host) {
                parsed.hosts.add(host);
            }

            @Override
            public void item(NessusHost host, NessusReportItem item) {
                parsed.items.add(item);
            }
        });
        return parsed;
    }

    private static String nessus(String pluginOutput) {
        return """
                <?xml version="1.0"?>
                <NessusClientData_v2><Report name="r">
                <ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
                <ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="1" pluginName="x">
                <description>d</description>
                <plugin_output>%s</plugin_output></ReportItem>
                </ReportHost></Report></NessusClientData_v2>
                """.formatted(pluginOutput);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        for (int n; (n = in.read(buf, 0, chunk)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static final class Parsed {
        final List<NessusHost> hosts = new ArrayList<>();
        final List<NessusReportItem> items = new ArrayList<>();
    }

    /** Hands out at most {@code chunk} bytes per read, to cross every buffer boundary. */
    private static final class Trickle extends ByteArrayInputStream {
        private final int chunk;

        Trickle(byte[] bytes, int chunk) {
            super(bytes);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
