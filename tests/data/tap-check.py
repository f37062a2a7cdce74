#!/usr/bin/python3
# tap-check.py — run one validator and report it as a TAP case
#
#   tap-check.py NAME PACKAGE [--fail-on-output] [--fail-on=WORD] -- COMMAND ARG...
#
# `./run test` counts TAP cases, so a check that is a single command still
# says "ok 1 NAME". A missing tool is a failure that names the Debian package
# to install, never a silent skip. --fail-on-output fails when the command
# prints anything, for validators that warn but exit 0; --fail-on=WORD when
# its output contains WORD.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import shutil
import subprocess
import sys


def main():
    args = sys.argv[1:]
    split = args.index("--")
    name, package, *flags = args[:split]
    command = args[split + 1:]
    print("1..1")
    if shutil.which(command[0]) is None:
        print(f"not ok 1 {name}: {command[0]} is not installed "
              f"(apt install {package})")
        return 1
    result = subprocess.run(command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    output = result.stdout.strip()
    for line in output.splitlines():
        print(f"# {line}")
    words = [flag.split("=", 1)[1] for flag in flags if flag.startswith("--fail-on=")]
    found = [word for word in words if word in output]
    if result.returncode != 0 or ("--fail-on-output" in flags and output):
        print(f"not ok 1 {name}: {' '.join(command)} exited {result.returncode}")
        return 1
    if found:
        print(f"not ok 1 {name}: {' '.join(command)} says {', '.join(found)}")
        return 1
    print(f"ok 1 {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
