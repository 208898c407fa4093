package org.itsmhub.plugin.nessus.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.testkit.contract.VendorTestData;

/**
 * The .nessus import benchmark of docs/performance.md (a main class run by hand, not a test):
 * generates a realistic file of the given size from the real fixtures, then measures on that same
 * file (a) the importer in a child JVM with {@code -Xmx128m}, (b) a bare pass of the same Aalto
 * parser that only counts elements, (c) Python's {@code xml.etree.ElementTree} full-DOM parse, and
 * deletes the file.
 *
 * <pre>
 * ./mvnw -f plugins/nessus/pom.xml -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.itsmhub.plugin.nessus.bench.NessusImportBenchmark [-Dexec.args="300 3"]
 * </pre>
 * Arguments: size in MB (default 300), passes per JVM (default 4; the best is reported, the first
 * includes JIT warm-up).
 */
public final class NessusImportBenchmark {

    private static final Pattern GC_AFTER = Pattern.compile("\\d+M->(\\d+)M\\(");

    private NessusImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 300;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = Files.createTempDirectory("nessus-bench");
        Path file = dir.resolve("bench.nessus");
        try {
            NessusFileGenerator generator = new NessusFileGenerator(VendorTestData.root().resolve("nessus"));
            long t0 = System.nanoTime();
            long[] generated = generator.write(file, megabytes * 1_000_000L);
            double mb = Files.size(file) / 1e6;
            System.out.printf(Locale.ROOT, "generated %s: %.1f MB, %d hosts, %d items (pool of %d real items) in %.1f s%n",
                    file, mb, generated[0], generated[1], generator.itemPool(), (System.nanoTime() - t0) / 1e9);

            String classpath = classpath();
            List<Map<String, String>> impPasses = child(classpath, "import", file, passes);
            List<Map<String, String>> barePasses = child(classpath, "count", file, passes);
            List<Map<String, String>> textPasses = child(classpath, "text", file, passes);
            Map<String, String> imp = best(impPasses);
            Map<String, String> bare = best(barePasses);
            Map<String, String> text = best(textPasses);
            Map<String, String> dom = python(file);

            double impS = Double.parseDouble(imp.get("seconds"));
            double bareS = Double.parseDouble(bare.get("seconds"));
            double domS = Double.parseDouble(dom.get("seconds"));
            double textS = Double.parseDouble(text.get("seconds"));
            System.out.println();
            System.out.printf(Locale.ROOT, "file: %.1f MB, %s hosts, %s report items%n", mb, imp.get("hosts"),
                    imp.get("records"));
            System.out.println("| pass | seconds | MB/s | findings/s | peak memory |");
            System.out.println("|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| importer (Aalto StAX + mapping), -Xmx128m | %.2f | %.0f | %.0f "
                    + "| heap peak %s MB, live after GC <= %s MB |%n",
                    impS, mb / impS, Long.parseLong(imp.get("records")) / impS, imp.get("peakHeapMb"), imp.get("liveMb"));
            System.out.printf(Locale.ROOT, "| bare Aalto pass, counts %s elements, -Xmx128m | %.2f | %.0f | – "
                    + "| heap peak %s MB, live after GC <= %s MB |%n",
                    bare.get("records"), bareS, mb / bareS, bare.get("peakHeapMb"), bare.get("liveMb"));
            System.out.printf(Locale.ROOT, "| bare Aalto pass + every text node as a String, -Xmx128m | %.2f | %.0f | – "
                    + "| heap peak %s MB, live after GC <= %s MB |%n",
                    textS, mb / textS, text.get("peakHeapMb"), text.get("liveMb"));
            System.out.printf(Locale.ROOT, "| Python %s xml.etree.ElementTree full DOM | %.2f | %.1f | %.0f | RSS %s MB |%n",
                    dom.get("version"), domS, mb / domS, Long.parseLong(dom.get("items")) / domS, dom.get("maxrss_mb"));
            System.out.printf(Locale.ROOT, "importer / bare pass: %.0f%% (target >= 70%%); importer / DOM: %.1fx (target >= 8x, "
                    + "stretch 10x); importer / bare pass with text: %.0f%%; DOM found %s items%n", 100 * bareS / impS, domS / impS,
                    100 * textS / impS, dom.get("items"));
            // on a shared machine wall time depends on the neighbours; CPU time far less
            double impC = leastCpu(impPasses);
            double bareC = leastCpu(barePasses);
            double textC = leastCpu(textPasses);
            double domC = Double.parseDouble(dom.get("cpuSeconds"));
            System.out.printf(Locale.ROOT, "CPU seconds (least of the passes; a JVM's includes its GC and JIT threads): "
                    + "importer %.2f, bare pass %.2f, bare pass + text %.2f, Python DOM %.2f%n", impC, bareC, textC, domC);
            System.out.printf(Locale.ROOT, "by CPU time: importer / bare pass: %.0f%%; importer / DOM: %.1fx; "
                    + "importer / bare pass with text: %.0f%%%n", 100 * bareC / impC, domC / impC, 100 * textC / impC);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static List<Map<String, String>> child(String classpath, String mode, Path file, int passes)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path gcLog = file.resolveSibling(mode + "-gc.log");
        List<String> command = List.of(java, "-Xmx128m", "-Xlog:gc:file=" + gcLog, "-cp", classpath,
                BenchChild.class.getName(), mode, file.toString(), Integer.toString(passes));
        List<Map<String, String>> results = new ArrayList<>();
        for (String line : run(command)) {
            if (line.startsWith("RESULT ")) {
                System.out.println("  " + line);
                results.add(fields(line));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException(mode + " pass printed no result");
        }
        // what stays live: the heap right after each collection ("Pause Young ... 65M->5M(73M)")
        long maxAfterGc = 0;
        int collections = 0;
        Matcher m = GC_AFTER.matcher(Files.readString(gcLog));
        while (m.find()) {
            maxAfterGc = Math.max(maxAfterGc, Long.parseLong(m.group(1)));
            collections++;
        }
        Files.deleteIfExists(gcLog);
        System.out.printf(Locale.ROOT, "  %s: %d collections, heap after a collection at most %d MB%n", mode, collections,
                maxAfterGc);
        for (Map<String, String> r : results) {
            r.put("liveMb", Long.toString(maxAfterGc));
        }
        return results;
    }

    private static Map<String, String> python(Path file) throws IOException, InterruptedException {
        Path script = Path.of("src/test/python/dom_parse.py");
        if (!Files.exists(script)) {
            script = Path.of("plugins/nessus/src/test/python/dom_parse.py");
        }
        Map<String, String> result = null;
        for (String line : run(List.of("python3", script.toString(), file.toString()))) {
            if (line.startsWith("RESULT ")) {
                System.out.println("  python " + line);
                result = fields(line);
            }
        }
        if (result == null) {
            throw new IllegalStateException("the Python DOM parse printed no result");
        }
        result.put("version", String.join("", run(List.of("python3", "-c",
                "import platform; print(platform.python_version())"))));
        return result;
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, 1)) + " exited with " + exit + ":\n"
                    + String.join("\n", lines));
        }
        return lines;
    }

    private static double leastCpu(List<Map<String, String>> passes) {
        return passes.stream().mapToDouble(p -> Double.parseDouble(p.get("cpuSeconds"))).min().orElseThrow();
    }

    private static Map<String, String> best(List<Map<String, String>> passes) {
        return passes.stream().min((a, b) -> Double.compare(Double.parseDouble(a.get("seconds")),
                Double.parseDouble(b.get("seconds")))).orElseThrow();
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> map = new HashMap<>();
        for (String part : line.substring("RESULT ".length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            map.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return map;
    }

    /** The test class path: exec:java runs us in a URLClassLoader; java.class.path is Maven's own then. */
    private static String classpath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader cl = Thread.currentThread().getContextClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    entries.add(Path.of(url.toURI()).toString());
                }
            }
        }
        if (entries.isEmpty()) {
            return System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, entries);
    }
}
