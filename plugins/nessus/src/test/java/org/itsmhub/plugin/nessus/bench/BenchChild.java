package org.itsmhub.plugin.nessus.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.itsmhub.plugin.nessus.NessusBenchAccess;

/**
 * One measured pass in its own JVM (started by {@link NessusImportBenchmark} with {@code -Xmx128m}):
 * {@code import FILE} runs the real importer with counting consumers, {@code count FILE} the bare
 * Aalto pass that only counts elements, {@code text FILE} the same pass also turning every text node into a
 * String, {@code parse FILE} the parser without mapping (the last two for diagnosis). Each mode runs {@code passes} times in the same JVM (the
 * first one includes JIT warm-up); after each pass it prints
 * {@code RESULT mode=.. pass=.. seconds=.. cpuSeconds=.. records=.. hosts=.. peakHeapMb=..}, peak heap being
 * the sum of the heap pools' peak usage since the pass began (MemoryPoolMXBean, reset before each pass) and
 * CPU seconds the whole JVM's (GC and JIT threads included) during the pass.
 */
public final class BenchChild {

    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path file = Path.of(args[1]);
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long bytes = Files.size(file);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int pass = 1; pass <= passes; pass++) {
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            long[] result = switch (mode) {
                case "count" -> new long[] {NessusBenchAccess.countElements(file, false), 0};
                case "text" -> new long[] {NessusBenchAccess.countElements(file, true), 0};
                case "parse" -> NessusBenchAccess.parseOnly(file);
                default -> NessusBenchAccess.importCounting(file);
            };
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf(Locale.ROOT, "RESULT mode=%s pass=%d seconds=%.3f cpuSeconds=%.3f records=%d hosts=%d "
                    + "peakHeapMb=%.1f bytes=%d%n", mode, pass, seconds, cpuSeconds, result[0], result[1],
                    peak / 1048576.0, bytes);
        }
    }
}
