#!/usr/bin/env python3
# Runs one libFuzzer target for $TD_FUZZ_SECONDS (default 10) from its seed
# corpus and reports one TAP case. A crash, leak, timeout or GLib warning
# fails it; the input that did it is kept next to the working corpus
# (crash-…, leak-…, timeout-…) and named in the output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import glob
import os
import re
import shutil
import subprocess
import sys

target, seeds, work, regressions = sys.argv[1:5]
seconds = int(os.environ.get("TD_FUZZ_SECONDS", "10"))
name = os.path.basename(target)
os.makedirs(work, exist_ok=True)
artifacts = work + "-artifacts" + os.sep
shutil.rmtree(artifacts, ignore_errors=True)
os.makedirs(artifacts)

print("1..1")
command = [target, f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048",
           "-max_len=65536", f"-artifact_prefix={artifacts}", "-print_final_stats=1", work, seeds, regressions]
environment = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1", G_SLICE="always-malloc")
result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                        errors="replace", env=environment)
runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", result.stdout)
found = sorted(glob.glob(artifacts + "*"))
if result.returncode == 0 and not found:
    print(f"ok 1 {name}: {runs[-1] if runs else '?'} inputs in {seconds} s, nothing found")
    sys.exit(0)
print(f"not ok 1 {name}: exit {result.returncode}; inputs kept: {' '.join(found) or 'none'}")
lines = result.stdout.splitlines()
report = next((i for i, line in enumerate(lines) if "ERROR: " in line), max(0, len(lines) - 60))
for line in lines[max(0, report - 5):report + 80]:
    print("# " + line)
sys.exit(1)
