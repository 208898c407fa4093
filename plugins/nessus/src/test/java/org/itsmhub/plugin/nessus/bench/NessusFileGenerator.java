package org.itsmhub.plugin.nessus.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a large, realistic {@code .nessus} v2 file for the benchmark: the Policy section and the
 * report items are taken verbatim from the real fixtures (character references, WAS items, CVE
 * lists and long plugin outputs included); every host gets a fresh identity (MAC, IP, FQDN, NetBIOS
 * name) and 20–300 items drawn at random (fixed seed, so a size always gives the same file).
 */
public final class NessusFileGenerator {

    private static final Pattern ITEM = Pattern.compile(
            "<ReportItem\\b[^>]*?/>|<ReportItem\\b[^>]*[^/]>.*?</ReportItem>", Pattern.DOTALL);
    private static final Pattern POLICY = Pattern.compile("<Policy>.*?</Policy>", Pattern.DOTALL);
    private static final Pattern OS = Pattern.compile("<tag name=\"operating-system\">([^<]*)</tag>");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    private final List<String> items = new ArrayList<>();
    private final List<String> systems = new ArrayList<>();
    private String policy = "<Policy><policyName>bench</policyName></Policy>";

    public NessusFileGenerator(Path fixtures) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fixtures, "*.nessus")) {
            for (Path file : files) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                if (!text.contains("<NessusClientData_v2")) {
                    continue; // the 0-byte and the legacy v1 file
                }
                Matcher m = ITEM.matcher(text);
                while (m.find()) {
                    items.add(m.group());
                }
                Matcher os = OS.matcher(text);
                while (os.find()) {
                    systems.add(os.group(1));
                }
                Matcher p = POLICY.matcher(text);
                if (p.find() && p.group().length() > policy.length()) {
                    policy = p.group(); // the largest real one (about 1 MB of plugin preferences)
                }
            }
        }
        if (systems.isEmpty()) {
            systems.add("Linux Kernel 5.4");
        }
    }

    int itemPool() {
        return items.size();
    }

    /** Writes at least {@code targetBytes} (plus the last host and the closing tags); returns {hosts, items}. */
    public long[] write(Path target, long targetBytes) throws IOException {
        Random random = new Random(42);
        long hosts = 0;
        long written = 0;
        LocalDateTime start = LocalDateTime.of(2026, 11, 1, 2, 0);
        try (CountingWriter out = new CountingWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8))) {
            out.write("<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n");
            out.write(policy);
            out.write("\n<Report name=\"bench\" xmlns:cm=\"http://www.nessus.org/cm\">\n");
            while (out.count < targetBytes) {
                hosts++;
                String ip = "10." + ((hosts >> 16) & 255) + "." + ((hosts >> 8) & 255) + "." + (hosts & 255);
                String name = String.format(Locale.ROOT, "ws%06d", hosts);
                LocalDateTime hostStart = start.plusSeconds(hosts * 7);
                out.write("<ReportHost name=\"" + ip + "\"><HostProperties>\n");
                tag(out, "HOST_END", TIME.format(hostStart.plusMinutes(12)));
                tag(out, "operating-system", systems.get(random.nextInt(systems.size())));
                tag(out, "mac-address", mac(random) + (random.nextInt(4) == 0 ? "\n" + mac(random) : ""));
                tag(out, "host-ip", ip);
                if (random.nextInt(5) != 0) {
                    tag(out, "host-fqdn", name + ".corp.example.net");
                }
                if (random.nextInt(3) != 0) {
                    tag(out, "netbios-name", name.toUpperCase(Locale.ROOT));
                }
                tag(out, "HOST_START", TIME.format(hostStart));
                out.write("</HostProperties>\n");
                int n = 20 + random.nextInt(281);
                for (int i = 0; i < n; i++) {
                    out.write(items.get(random.nextInt(items.size())));
                    out.write('\n');
                }
                written += n;
                out.write("</ReportHost>\n");
            }
            out.write("</Report>\n</NessusClientData_v2>\n");
        }
        return new long[] {hosts, written};
    }

    private static void tag(Writer out, String name, String value) throws IOException {
        out.write("<tag name=\"" + name + "\">" + value + "</tag>\n");
    }

    private static String mac(Random random) {
        StringBuilder sb = new StringBuilder("02"); // locally administered: never a real vendor's
        for (int i = 0; i < 5; i++) {
            sb.append(':').append(String.format(Locale.ROOT, "%02x", random.nextInt(256)));
        }
        return sb.toString();
    }

    /** Counts UTF-16 chars written; close enough to bytes for a mostly ASCII file. */
    private static final class CountingWriter extends Writer {
        private final BufferedWriter out;
        long count;

        CountingWriter(BufferedWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            out.write(cbuf, off, len);
            count += len;
        }

        @Override
        public void write(String s) throws IOException {
            out.write(s);
            count += s.length();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
