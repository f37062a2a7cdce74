#!/usr/bin/env python3
"""run-bench.py — Tierdesk's benchmarks at organisation scale (issue #11).

Builds nothing itself: `./run bench` builds a release tree and calls this
with it. Every figure is a latency distribution or a ratio against a
baseline measured in the same run, because the machines are shared and
noisy. Prints a table and writes bench/results.json.

  run-bench.py --build DIR [--tickets 200000] [--runs 3] [--smoke] [--out FILE]

--smoke runs everything once on a small data set, quickly, so `./run test`
keeps the benchmarks working; its figures mean nothing.
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

PASSWORD = "bench-password-1"


def log(message):
    print(f"# {message}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.tierdeskd = os.path.join(self.build, "src/server/tierdeskd")
        self.sync = os.path.join(self.build, "src/sync/tierdesk-sync")
        self.app = os.path.join(self.build, "src/app/tierdesk")
        self.td_bench = os.path.join(self.build, "bench/td-bench")
        self.work = tempfile.mkdtemp(prefix="td-bench-")
        self.db = os.path.join(self.work, "server.db")
        self.server = None
        self.url = None
        self.results = {}
        self.env = dict(os.environ)
        self.env["GSETTINGS_SCHEMA_DIR"] = os.path.join(self.build, "data")
        self.env["GSETTINGS_BACKEND"] = "memory"
        self.env.setdefault("GSK_RENDERER", "cairo")
        self.env["NO_AT_BRIDGE"] = "1"
        self.env["GTK_A11Y"] = "none"
        self.env.setdefault("TD_POLICY_FILE", os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "data", "policy",
            "lms-support-model.json"))
        self.bus = None

    def start_bus(self):
        """A session bus of the run's own, without service activation: the
        app's keyring falls back to memory instead of a keyring daemon
        that would prompt (as tests/td-test-util.c does)."""
        config = os.path.join(self.work, "bus.conf")
        with open(config, "w") as f:
            f.write("<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>"
                    "<auth>EXTERNAL</auth><policy context='default'>"
                    "<allow send_destination='*'/><allow receive_sender='*'/>"
                    "<allow own='*'/></policy></busconfig>")
        self.bus = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork",
                                     "--print-address"], stdout=subprocess.PIPE, text=True)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.bus.stdout.readline().strip()

    # The data set and the server

    def tierdeskd_run(self, *argv, stdin=None):
        subprocess.run([self.tierdeskd, *argv], check=True, input=stdin, text=True,
                       stdout=subprocess.DEVNULL)

    def make_data_set(self):
        password_file = os.path.join(self.work, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD + "\n")
        self.tierdeskd_run("init", "--db", self.db, "--admin", "admin",
                           "--password-file", password_file)
        self.tierdeskd_run("user", "add", "--db", self.db, "lead", "--role", "app-support-lead",
                           "--password-file", password_file)
        start = time.monotonic()
        self.tierdeskd_run("demo-data", "--db", self.db, "--tickets", str(self.args.tickets))
        counts = {}
        import sqlite3
        with sqlite3.connect(self.db) as db:
            for table in ("ticket", "ticket_event", "person", "rotation", "rotation_member",
                          "rota_override", "training_record"):
                counts[table] = db.execute(f"SELECT COUNT (*) FROM {table}").fetchone()[0]
            counts["open_tickets"] = db.execute(
                "SELECT COUNT (*) FROM ticket WHERE status NOT IN ('resolved', 'closed')").fetchone()[0]
            span = db.execute("SELECT MIN (created_at), MAX (created_at) FROM ticket").fetchone()
        counts["ticket_days"] = round((span[1] - span[0]) / 86400) if span[0] else 0
        self.results["data_set"] = dict(counts, generated_s=round(time.monotonic() - start, 1))
        log(f"data set: {counts}")

    def start_server(self):
        port_file = os.path.join(self.work, "port")
        self.server = subprocess.Popen(
            [self.tierdeskd, "serve", "--db", self.db, "--listen", "127.0.0.1:0",
             "--port-file", port_file],
            stderr=open(os.path.join(self.work, "tierdeskd.log"), "w"))
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{open(port_file).read().strip()}"
        self.token = self.login()

    def login(self):
        request = urllib.request.Request(
            self.url + "/api/v1/login", method="POST",
            data=json.dumps({"username": "lead", "password": PASSWORD}).encode())
        return json.load(urllib.request.urlopen(request))["token"]

    def stop(self):
        if self.server is not None:
            self.server.send_signal(signal.SIGTERM)
            self.server.wait(timeout=30)
        if self.bus is not None:
            self.bus.kill()
            self.bus.wait()

    # 1. Initial sync, against raw inserts

    def initial_sync(self):
        syncs, raws = [], []
        rows = 0
        for run in range(self.args.runs):
            cache = os.path.join(self.work, f"sync-{run}.db")
            start = time.monotonic()
            out = subprocess.run([self.sync, "--cache", cache, "--server", self.url, "--user", "lead"],
                                 input=PASSWORD + "\n", text=True, capture_output=True, check=True)
            syncs.append(time.monotonic() - start)
            rows = int(out.stdout.split("pulled ")[1].split()[0])
            raw_cache = os.path.join(self.work, f"raw-{run}.db")
            raw = json.loads(subprocess.run([self.td_bench, "raw-insert", self.db, raw_cache],
                                            capture_output=True, text=True, check=True).stdout)
            raws.append(raw["seconds"])
            log(f"initial sync {syncs[-1]:.1f} s, raw inserts {raw['seconds']:.1f} s ({rows} rows)")
            if run < self.args.runs - 1:
                os.remove(raw_cache)
        self.full_cache = os.path.join(self.work, "sync-0.db")
        sync_s, raw_s = statistics.median(syncs), statistics.median(raws)
        self.results["1_initial_sync"] = {
            "rows": rows, "seconds": syncs, "raw_insert_seconds": raws,
            "median_s": sync_s, "rows_per_s": rows / sync_s,
            "baseline_median_s": raw_s, "baseline_rows_per_s": rows / raw_s,
            "ratio": sync_s / raw_s, "target": "ratio <= 4"}
        self.raw_rows_per_s = rows / raw_s

    # 2 and 5 and 7: the app

    def app_home(self, name, with_cache):
        home = os.path.join(self.work, name)
        data = os.path.join(home, "tierdesk")
        os.makedirs(data, exist_ok=True)
        if with_cache:
            # td-session.c: cache-<first 16 hex of sha256 (url \n user)>.db
            digest = hashlib.sha256(f"{self.url}\nlead".encode()).hexdigest()[:16]
            target = os.path.join(data, f"cache-{digest}.db")
            shutil.copy(self.full_cache, target)
            if os.path.exists(self.full_cache + "-wal"):
                shutil.copy(self.full_cache + "-wal", target + "-wal")
        return home

    def run_app(self, argv, mode, home, stdin=None, timeout=300):
        env = dict(self.env, TD_BENCH=mode, HOME=home, XDG_DATA_HOME=home,
                   XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home)
        start = time.monotonic()
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True, env=env)
        if stdin is not None:
            process.stdin.write(stdin)
        process.stdin.close()
        marks = {}
        deadline = start + timeout
        for line in process.stdout:
            parts = line.split()
            if parts:
                marks[parts[0]] = (time.monotonic() - start, parts[1:])
            if "rss-peak-kb" in marks or (mode == "start" and "queue-frame" in marks) or \
                    (mode == "start" and argv[0] == self.td_bench and "first-frame" in marks):
                break
            if time.monotonic() > deadline:
                break
        process.kill()
        process.wait()
        return marks

    def app_argv(self):
        return [self.app, "--server", self.url, "--user", "lead", "--password-stdin"]

    def queue_usable(self):
        times = []
        for run in range(self.args.runs):
            home = self.app_home(f"new-desktop-{run}", with_cache=False)
            marks = self.run_app(self.app_argv(), "start", home, stdin=PASSWORD + "\n")
            if "queue-frame" not in marks:
                raise RuntimeError("the app never showed its queue on a new desktop")
            times.append(marks["queue-frame"][0])
            log(f"new desktop: queue on screen after {times[-1]:.2f} s "
                f"({marks['queue-frame'][1][0]} open tickets)")
        self.results["2_queue_usable_new_desktop"] = {
            "seconds": times, "median_s": statistics.median(times), "target": "<= 1 s",
            "open_tickets_shown": int(marks["queue-frame"][1][0])}

    def start_to_frame(self):
        app_first, app_queue, bare = [], [], []
        for run in range(self.args.runs):
            home = self.app_home(f"full-{run}", with_cache=True)
            marks = self.run_app(self.app_argv(), "start", home, stdin=PASSWORD + "\n")
            app_first.append(marks["first-frame"][0])
            app_queue.append(marks["queue-frame"][0])
            bare_marks = self.run_app([self.td_bench, "bare-window", "start"], "start",
                                      self.app_home("bare", False))
            bare.append(bare_marks["first-frame"][0])
            log(f"start: app first frame {app_first[-1]:.2f} s, queue {app_queue[-1]:.2f} s, "
                f"bare window {bare[-1]:.2f} s")
        self.results["5_start_to_first_frame"] = {
            "app_first_frame_s": app_first, "app_queue_frame_s": app_queue,
            "bare_window_s": bare, "median_s": statistics.median(app_first),
            "queue_median_s": statistics.median(app_queue),
            "baseline_median_s": statistics.median(bare),
            "ratio": statistics.median(app_first) / statistics.median(bare),
            "queue_ratio": statistics.median(app_queue) / statistics.median(bare),
            "target": "ratio <= 1.5"}

    def peak_memory(self):
        home = self.app_home("rss", with_cache=True)
        marks = self.run_app(self.app_argv(), "scroll", home, stdin=PASSWORD + "\n", timeout=600)
        bare = self.run_app([self.td_bench, "bare-window", "scroll"], "scroll",
                            self.app_home("bare-rss", False))
        app_kb = int(marks["rss-peak-kb"][1][0])
        bare_kb = int(bare["rss-peak-kb"][1][0])
        rows = int(marks["queue-frame"][1][0]) if "queue-frame" in marks else None
        log(f"peak RSS: app {app_kb / 1024:.0f} MB, bare window {bare_kb / 1024:.0f} MB")
        self.results["7_peak_rss"] = {
            "app_mb": app_kb / 1024, "bare_window_mb": bare_kb / 1024,
            "above_baseline_mb": (app_kb - bare_kb) / 1024, "target": "<= 80 MB above",
            "scrolled": "every ticket (all statuses)", "open_rows_at_start": rows}

    # 3. Propagation

    def propagation(self):
        edits = 50 if self.args.smoke else 1000
        # Both desktops start from the synced cache of benchmark 1 (its WAL
        # checkpointed into it by td-bench queue's copies having been opened).
        seed = os.path.join(self.work, "propagation-seed.db")
        import sqlite3
        with sqlite3.connect(self.full_cache) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(self.full_cache, seed)
        out = subprocess.run([self.td_bench, "propagation", self.url, "lead", str(edits), seed],
                             input=PASSWORD + "\n", capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            raise RuntimeError(f"propagation failed: {out.stderr.strip()}")
        millis = sorted(json.loads(out.stdout)["propagation_ms"])
        self.results["3_propagation"] = dict(percentiles(millis), edits=edits,
                                             target="p95 <= 50 ms")
        log(f"propagation: p50 {self.results['3_propagation']['p50_ms']:.1f} ms, "
            f"p95 {self.results['3_propagation']['p95_ms']:.1f} ms")

    # 4. Queue

    def queue(self):
        millis, opened = [], []
        for run in range(self.args.runs):
            copy = os.path.join(self.work, f"queue-{run}.db")
            shutil.copy(self.full_cache, copy)
            if os.path.exists(self.full_cache + "-wal"):
                shutil.copy(self.full_cache + "-wal", copy + "-wal")
            out = json.loads(subprocess.run([self.td_bench, "queue", copy], capture_output=True,
                                            text=True, check=True, env=self.env).stdout)
            millis += out["query_ms"]
            opened.append(out["open_ms"])
        millis.sort()
        self.results["4_queue_queries"] = dict(percentiles(millis), queries=len(millis),
                                               model_open_ms=opened, target="p95 <= 16 ms")
        log(f"queue: p50 {self.results['4_queue_queries']['p50_ms']:.1f} ms, "
            f"p95 {self.results['4_queue_queries']['p95_ms']:.1f} ms")

    # 6. Server

    def wrk(self, url, script=None, seconds=None):
        seconds = seconds or (2 if self.args.smoke else 10)
        argv = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency"]
        if script:
            argv += ["-s", script]
        argv.append(url)
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
        raise RuntimeError(f"wrk printed no rate:\n{out}")

    def server_throughput(self):
        page_url = self.url + "/api/v1/changes?since=0&limit=500"
        request = urllib.request.Request(page_url, headers={"Authorization": "Bearer " + self.token})
        page_bytes = len(urllib.request.urlopen(request).read())
        changes_lua = os.path.join(self.work, "changes.lua")
        with open(changes_lua, "w") as f:
            f.write(f'wrk.headers["Authorization"] = "Bearer {self.token}"\n')
        changes_rate = self.wrk(page_url, changes_lua)

        port_file = os.path.join(self.work, "constant-port")
        constant = subprocess.Popen([self.td_bench, "constant-server", str(page_bytes), port_file])
        try:
            for _ in range(100):
                if os.path.exists(port_file) and open(port_file).read().strip():
                    break
                time.sleep(0.05)
            constant_rate = self.wrk(f"http://127.0.0.1:{open(port_file).read().strip()}/")
        finally:
            constant.kill()
            constant.wait()

        commands_lua = os.path.join(self.work, "commands.lua")
        with open(commands_lua, "w") as f:
            f.write(COMMANDS_LUA.replace("@TOKEN@", self.token))
        commands_rate = self.wrk(self.url + "/api/v1/commands", commands_lua) * 100
        self.results["6_server"] = {
            "changes_requests_per_s": changes_rate, "page_bytes": page_bytes,
            "constant_server_requests_per_s": constant_rate,
            "changes_ratio": changes_rate / constant_rate,
            "commands_per_s": commands_rate, "raw_inserts_per_s": self.raw_rows_per_s,
            "commands_ratio": commands_rate / self.raw_rows_per_s,
            "target": "changes >= 0.5 of constant; commands >= 0.25 of raw inserts"}
        log(f"server: changes {changes_rate:.0f} req/s (constant {constant_rate:.0f}), "
            f"commands {commands_rate:.0f}/s (raw inserts {self.raw_rows_per_s:.0f}/s)")

    def run(self):
        try:
            self.start_bus()
            self.make_data_set()
            self.start_server()
            self.initial_sync()
            self.queue_usable()
            self.propagation()
            self.queue()
            self.start_to_frame()
            self.server_throughput()
            self.peak_memory()
        finally:
            self.stop()
        return self.results


# Each wrk request is a batch of 100 new tickets with fresh ids, so every
# command is a real insert (a repeated id would only be a duplicate).
COMMANDS_LUA = r'''
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer @TOKEN@"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local stamp = os.time() % 0x1000000
local counter = 0
local function uuid()
  counter = counter + 1
  return string.format("%08x-%04x-4000-8000-%012x", stamp, tid, counter)
end
request = function()
  local commands = {}
  for i = 1, 100 do
    commands[i] = '{"id":"' .. uuid() .. '","type":"create","entity":"ticket","entity_id":"' ..
      uuid() .. '","fields":{"title":"Bench ticket","description":"Created by wrk",' ..
      '"affected_user_id":"E1","contact":"bench@example.com","steps_to_reproduce":"none",' ..
      '"error_message":"none","impact":"low","urgency":"low","occurred_at":"2026-11-27T09:00:00Z"}}'
  end
  return wrk.format(nil, nil, nil, '{"commands":[' .. table.concat(commands, ",") .. ']}')
end
'''


def percentiles(values):
    values = sorted(values)

    def at(q):
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": values[-1],
            "spread_ms": at(0.95) - at(0.05)}


def table(results):
    rows = []
    r = results
    s = r["1_initial_sync"]
    rows.append(("1 Initial sync", f"{s['median_s']:.1f} s ({s['rows_per_s']:.0f} rows/s)",
                 f"{s['baseline_median_s']:.1f} s raw inserts", f"{s['ratio']:.2f}", "≤ 4"))
    q = r["2_queue_usable_new_desktop"]
    rows.append(("2 Queue usable, new desktop", f"{q['median_s']:.2f} s", "—", "—", "≤ 1 s"))
    p = r["3_propagation"]
    rows.append(("3 Propagation", f"p50 {p['p50_ms']:.1f} / p95 {p['p95_ms']:.1f} / "
                 f"p99 {p['p99_ms']:.1f} ms", "—", "—", "p95 ≤ 50 ms"))
    k = r["4_queue_queries"]
    rows.append(("4 Queue queries", f"p50 {k['p50_ms']:.1f} / p95 {k['p95_ms']:.1f} ms",
                 "—", "—", "p95 ≤ 16 ms"))
    f = r["5_start_to_first_frame"]
    rows.append(("5 Start to first frame", f"{f['median_s']:.2f} s (queue {f['queue_median_s']:.2f} s)",
                 f"{f['baseline_median_s']:.2f} s bare window", f"{f['ratio']:.2f}", "≤ 1.5"))
    v = r["6_server"]
    rows.append(("6a Server: GET /changes", f"{v['changes_requests_per_s']:.0f} req/s",
                 f"{v['constant_server_requests_per_s']:.0f} req/s constant",
                 f"{v['changes_ratio']:.2f}", "≥ 0.5"))
    rows.append(("6b Server: POST /commands", f"{v['commands_per_s']:.0f} commands/s",
                 f"{v['raw_inserts_per_s']:.0f} rows/s raw", f"{v['commands_ratio']:.2f}", "≥ 0.25"))
    m = r["7_peak_rss"]
    rows.append(("7 Peak RSS after scrolling", f"{m['app_mb']:.0f} MB",
                 f"{m['bare_window_mb']:.0f} MB bare window", f"+{m['above_baseline_mb']:.0f} MB",
                 "≤ +80 MB"))
    widths = [max(len(str(row[i])) for row in rows + [HEADER]) for i in range(5)]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(HEADER, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


HEADER = ("Benchmark", "Median (spread in results.json)", "Same-run baseline", "Ratio", "Target")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--tickets", type=int, default=200000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.smoke:
        args.tickets, args.runs = 2000, 1
    if shutil.which("wrk") is None:
        sys.exit("run-bench.py: wrk is not installed (apt-get install wrk)")
    bench = Bench(args)
    started = time.monotonic()
    try:
        results = bench.run()
    except Exception:
        shutil.rmtree(bench.work, ignore_errors=True)
        raise
    results["machine"] = {"cpus": os.cpu_count(), "uname": " ".join(os.uname()),
                          "load_average": os.getloadavg()}
    results["wall_s"] = time.monotonic() - started
    results["tickets"] = args.tickets
    results["runs"] = args.runs
    # Under `./run test` only TAP goes to standard output.
    print(table(results), file=sys.stderr if args.smoke else sys.stdout)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    shutil.rmtree(bench.work, ignore_errors=True)
    print(f"bench: {results['wall_s']:.0f} s in all", file=sys.stderr if args.smoke else sys.stdout)
    if args.smoke:
        # As a test in `./run test`: TAP, so the run counts it.
        print("1..1\nok 1 /bench/smoke (every benchmark ran once on 2,000 tickets)")


if __name__ == "__main__":
    main()
