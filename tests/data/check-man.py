#!/usr/bin/python3
# check-man.py — the man pages format without a single groff warning
#
#   check-man.py PAGE[=PROGRAM]...
#
# -ww turns on every warning; -z formats without output. A missing groff is
# a failure naming the package (groff-base, which man-db needs anyway).
# With =PROGRAM, the page must also name every option that PROGRAM --help-all
# prints, and every option of each command its --help lists, so a new option
# cannot ship undocumented.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import shutil
import subprocess
import sys


def help_text(program, *words):
    """PROGRAM's help; for the top level --help-all, which GApplication needs
    to list its own options, where the program knows it."""
    for flag in (["--help-all"] if not words else []) + ["--help"]:
        result = subprocess.run([program, *words, flag], text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if result.returncode == 0:
            return result.stdout
    return result.stdout


def commands(text):
    """The commands a "Commands:" section lists: "user disable|enable|passwd"
    gives three, "policy check FILE" one."""
    found = []
    in_section = False
    for line in text.splitlines():
        if line.startswith("Commands:"):
            in_section = True
        elif in_section and line and not line.startswith(" "):
            in_section = False
        elif in_section:
            match = re.match(r"^  ([a-z][a-z-]*)((?: [a-z|-]+)?)(?=\s|$)", line)
            if match:
                second = match.group(2).strip()
                if second.startswith("-"):
                    second = ""
                for sub in second.split("|") if second else [""]:
                    found.append([match.group(1)] + ([sub] if sub else []))
    return found


def undocumented(page_text, program):
    texts = [help_text(program)]
    for words in commands(texts[0]):
        texts.append(help_text(program, *words))
    options = set()
    for text in texts:
        options.update(re.findall(r"(?<![\w-])--([a-z][a-z-]*)", text))
    source = page_text.replace("\\-", "-")
    return sorted(o for o in options if f"--{o}" not in source)


def main():
    pages = sys.argv[1:]
    print(f"1..{len(pages)}")
    groff = shutil.which("groff")
    status = 0
    for i, spec in enumerate(pages, 1):
        page, _, program = spec.partition("=")
        name = os.path.basename(page)
        if program:
            with open(page) as f:
                missing = undocumented(f.read(), program)
            if missing:
                print(f"not ok {i} {name}: does not document "
                      + ", ".join("--" + o for o in missing))
                status = 1
                continue
        if groff is None:
            print(f"not ok {i} {name}: groff is not installed (apt install groff-base)")
            status = 1
            continue
        result = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", page], text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for line in result.stdout.splitlines():
            print(f"# {line}")
        if result.returncode != 0 or result.stdout.strip():
            print(f"not ok {i} {name}: groff warned")
            status = 1
        else:
            print(f"ok {i} {name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
