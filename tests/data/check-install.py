#!/usr/bin/python3
# check-install.py — `meson install` puts everything a distribution needs in place
#
#   check-install.py MESON BUILD_DIR PREFIX-ABSOLUTE-PATH...
#
# Installs the build tree (already built: --no-rebuild, so it never races the
# other tests for ninja) into a temporary DESTDIR, then checks each expected
# path, and that the installed unit starts the installed tierdeskd.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys
import tempfile


def main():
    meson, build_dir, *expected = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="tierdesk-destdir-") as destdir:
        result = subprocess.run([meson, "install", "-C", build_dir, "--no-rebuild",
                                 "--quiet", "--destdir", destdir],
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        print(f"1..{len(expected) + 2}")
        for line in result.stdout.splitlines():
            print(f"# {line}")
        if result.returncode != 0:
            print(f"not ok 1 meson install exited {result.returncode}")
        else:
            print("ok 1 meson install --destdir")
        status = 0 if result.returncode == 0 else 1
        unit_text = None
        bindir = None
        for i, path in enumerate(expected, 2):
            installed = destdir + path
            if path.endswith("/bin/tierdeskd"):
                bindir = os.path.dirname(path)
            if not os.path.isfile(installed):
                print(f"not ok {i} {path} is not installed")
                status = 1
                continue
            if path.endswith("/bin/tierdesk") or path.endswith("/bin/tierdesk-sync") \
                    or path.endswith("/bin/tierdeskd"):
                if not os.access(installed, os.X_OK):
                    print(f"not ok {i} {path} is not executable")
                    status = 1
                    continue
            if path.endswith(".service"):
                with open(installed) as f:
                    unit_text = f.read()
            print(f"ok {i} {path}")
        last = len(expected) + 2
        want = f"ExecStart={bindir}/tierdeskd serve "
        if unit_text is None or bindir is None:
            print(f"not ok {last} no unit or no tierdeskd to compare")
            status = 1
        elif want not in unit_text or "@bindir@" in unit_text:
            print(f"not ok {last} the installed unit does not start {bindir}/tierdeskd")
            status = 1
        else:
            print(f"ok {last} the unit starts the installed tierdeskd")
    return status


if __name__ == "__main__":
    sys.exit(main())
