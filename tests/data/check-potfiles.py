#!/usr/bin/python3
# check-potfiles.py — every file with translatable strings is in po/POTFILES.in
#
#   check-potfiles.py SOURCE_ROOT
#
# xgettext reads only the files POTFILES.in lists, so a string marked in a
# file missing there silently stays English. Fails naming each such file,
# and each listed file that no longer exists.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys

C_MARK = re.compile(r'\b(?:N?C?_|g_d?n?gettext|g_dpgettext2?|ngettext|g_dngettext)\s*\(')
UI_MARK = re.compile(r'translatable="yes"')
# Data files xgettext knows through its ITS rules; each has strings to translate.
DATA_SUFFIXES = (".desktop.in", ".metainfo.xml.in", ".gschema.xml")


def marked(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith((".c", ".h")):
        # A comment that mentions _() is not a string to translate.
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        return C_MARK.search(text) is not None
    if path.endswith(".ui"):
        return UI_MARK.search(text) is not None
    return path.endswith(DATA_SUFFIXES)


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "po", "POTFILES.in")) as f:
        listed = {line.strip() for line in f
                  if line.strip() and not line.startswith("#")}
    candidates = []
    for top in ("src", "data"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith((".c", ".h", ".ui") + DATA_SUFFIXES):
                    candidates.append(os.path.relpath(os.path.join(dirpath, name), root))
    missing = sorted(p for p in candidates if p not in listed and marked(os.path.join(root, p)))
    stale = sorted(p for p in listed if not os.path.isfile(os.path.join(root, p)))
    print("1..2")
    if missing:
        print("not ok 1 po/POTFILES.in lacks files with translatable strings: "
              + ", ".join(missing))
    else:
        print("ok 1 every file with translatable strings is in po/POTFILES.in")
    if stale:
        print("not ok 2 po/POTFILES.in lists files that do not exist: " + ", ".join(stale))
    else:
        print("ok 2 every file po/POTFILES.in lists exists")
    return 1 if missing or stale else 0


if __name__ == "__main__":
    sys.exit(main())
