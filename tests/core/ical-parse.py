#!/usr/bin/python3
# ical-parse.py — reads an .ics with python3-icalendar and prints its events
# as JSON, every time in UTC, for test-ical.c to compare with the shifts.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys
from datetime import timezone

try:
    import icalendar
except ImportError:
    sys.stderr.write("python3-icalendar is not installed: apt-get install -y python3-icalendar\n")
    sys.exit(3)


def utc(value):
    if value.tzinfo is None:
        raise SystemExit("floating time without a zone: %r" % value)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def via_vtimezone(calendar, prop):
    # Resolve TZID through the file's own VTIMEZONE, not the system's
    # zone database, so a wrong VTIMEZONE shows up.
    tzid = prop.params.get("TZID")
    if tzid is None:
        return utc(prop.dt)
    for component in calendar.walk("VTIMEZONE"):
        if str(component["TZID"]) == tzid:
            zone = component.to_tz()
            return utc(zone.localize(prop.dt.replace(tzinfo=None)))
    raise SystemExit("no VTIMEZONE for %s" % tzid)


with open(sys.argv[1], "rb") as f:
    calendar = icalendar.Calendar.from_ical(f.read())

out = {
    "calendar": {k: str(calendar.get(k)) for k in ("PRODID", "VERSION", "CALSCALE", "METHOD")},
    "events": [],
}
for event in calendar.walk("VEVENT"):
    out["events"].append({
        "uid": str(event["UID"]),
        "start": utc(event.decoded("DTSTART")),
        "end": utc(event.decoded("DTEND")),
        "start_vtimezone": via_vtimezone(calendar, event["DTSTART"]),
        "end_vtimezone": via_vtimezone(calendar, event["DTEND"]),
        "sequence": int(event["SEQUENCE"]),
        "summary": str(event["SUMMARY"]),
        "description": str(event["DESCRIPTION"]),
    })
json.dump(out, sys.stdout)
