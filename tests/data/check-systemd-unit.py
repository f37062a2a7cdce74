#!/usr/bin/python3
# check-systemd-unit.py — tierdeskd.service parses and keeps its sandbox
#
#   check-systemd-unit.py TEMPLATE BINDIR MANPAGE
#
# systemd-analyze verify checks that ExecStart exists and that the
# Documentation= man page opens, so the unit is configured here with the build
# tree's bindir and the man page is put on a MANPATH of its own. Containers
# often have no systemd at all: then the verify case is a TAP skip that says
# so (the sandbox case still runs).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import shutil
import subprocess
import sys
import tempfile

# What the unit must keep: a server that parses network input runs with as
# little as it needs.
REQUIRED = [
    "DynamicUser=yes", "StateDirectory=tierdeskd", "ProtectSystem=strict",
    "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
    "NoNewPrivileges=yes", "CapabilityBoundingSet=",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "SystemCallFilter=@system-service", "LockPersonality=yes",
    "MemoryDenyWriteExecute=yes", "RestrictRealtime=yes",
    "RestrictNamespaces=yes", "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes", "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
]


def main():
    template, bindir, manpage = sys.argv[1:4]
    with open(template) as f:
        text = f.read()
    lines = {line.strip() for line in text.splitlines()}
    print("1..2")

    missing = [r for r in REQUIRED if r not in lines]
    if missing:
        print(f"not ok 1 sandbox: {template} lacks {', '.join(missing)}")
        status = 1
    else:
        print("ok 1 sandbox")
        status = 0

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("ok 2 verify # SKIP systemd-analyze is not installed "
              "(no systemd in this container; apt install systemd to check)")
        return status
    with tempfile.TemporaryDirectory() as tmp:
        unit = os.path.join(tmp, "tierdeskd.service")
        with open(unit, "w") as f:
            f.write(text.replace("@bindir@", bindir))
        os.makedirs(os.path.join(tmp, "man", "man8"))
        shutil.copy(manpage, os.path.join(tmp, "man", "man8"))
        env = dict(os.environ, MANPATH=os.path.join(tmp, "man"))
        result = subprocess.run([analyze, "verify", unit], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for line in result.stdout.splitlines():
        print(f"# {line}")
    if result.returncode != 0 or result.stdout.strip():
        print(f"not ok 2 verify: systemd-analyze verify exited {result.returncode}")
        return 1
    print("ok 2 verify")
    return status


if __name__ == "__main__":
    sys.exit(main())
