"""Baseline for docs/performance.md: a full-DOM parse of a .nessus file with xml.etree.ElementTree,
the approach common open-source importers take. Prints one RESULT line for NessusImportBenchmark
(wall and CPU seconds: on a shared machine the CPU time is the steadier measure)."""
import resource
import sys
import time
import xml.etree.ElementTree as ET

start = time.perf_counter()
cpu_start = time.process_time()
root = ET.parse(sys.argv[1]).getroot()
hosts = 0
items = 0
for host in root.iter("ReportHost"):
    hosts += 1
    for _ in host.iter("ReportItem"):
        items += 1
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu_start
# ru_maxrss is in kilobytes on Linux
print(f"RESULT seconds={seconds:.3f} cpuSeconds={cpu:.3f} hosts={hosts} items={items} "
      f"maxrss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
