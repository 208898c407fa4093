"""Baseline for docs/performance.md: a full-DOM parse of a .nessus file with xml.etree.ElementTree,
the approach common open-source importers take. Prints one RESULT line for NessusImportBenchmark."""
import resource
import sys
import time
import xml.etree.ElementTree as ET

start = time.perf_counter()
root = ET.parse(sys.argv[1]).getroot()
hosts = 0
items = 0
for host in root.iter("ReportHost"):
    hosts += 1
    for _ in host.iter("ReportItem"):
        items += 1
seconds = time.perf_counter() - start
# ru_maxrss is in kilobytes on Linux
print(f"RESULT seconds={seconds:.3f} hosts={hosts} items={items} "
      f"maxrss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
