"""`make bench`: build a data set, serve it as production does, load it, report.

    .venv/bin/python bench/run.py [--scale national] [--databases sqlite,postgresql] …

For each database: migrate a bench database (kept between runs: var/bench/<scale>.sqlite3
or PostgreSQL `sluss_bench_<scale>`; --fresh rebuilds), `manage.py bench_build`,
`collectstatic`, count the queries of every endpoint (`manage.py bench_queries`), start
gunicorn with deploy/gunicorn.conf.py and sluss.settings_production plus the task worker,
then load each scenario alone with locust (a second process on loopback) and finally all
of them mixed; the resident memory of the web and worker processes is sampled all along.
`--check-flat` grows a copy of the data set (`bench_build --grow`) and fails if any
endpoint's query count grew. Results: JSON (--out, BENCH_OUT) and Markdown beside it.

The targets of issue 8 are reported, not enforced, except zero errors: any failed
request, a query count that grew, or a step that failed makes the exit status non-zero.
No Django import here: every Django step is a `manage.py` subprocess, and locust (which
patches the standard library with gevent) runs in its own process.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")

#: The scenarios, in the order they are measured: (name, what is requested, as whom).
SCENARIOS = [
    ("healthz", "GET /healthz (liveness, answered before any middleware: the floor)", "anyone"),
    (
        "trivial",
        "GET / (the front page: fixed text in the site's layout, through every middleware"
        " and the template engine, no query)",
        "anyone",
    ),
    ("idea_form", "GET /submit/", "anonymous employee"),
    ("submission", "POST /submit/ (a new idea each time; CSRF, 302 to the receipt)", "anonymous"),
    ("board", "GET /workspace/board/", "coach"),
    ("list", "GET /workspace/ideas/?<manifest list_filters>", "coach"),
    ("idea_page", "GET /workspace/ideas/<reference>/", "coach"),
    (
        "idea_similar",
        "GET /workspace/ideas/<reference>/similar/ (HX-Request: the idea page's section)",
        "coach",
    ),
    ("search", "GET /workspace/ideas/?q=<manifest search_terms>", "coach"),
    ("similar", "POST /api/v1/ideas/similar (bearer token)", "process leader's token"),
    ("dashboard", "GET /statistics/", "process leader"),
    ("api_list", "GET /api/v1/ideas (bearer token)", "process leader's token"),
    ("export", "GET <export CSV> (see plan.export_path)", "coach or process leader"),
]

#: Issue 8's targets (at 500,000 ideas). Ratios are of the scenario's requests/s to the
#: trivial page's in the same run.
RATIO_TARGET = 0.08
P95_TARGETS = {"search": 100, "similar": 100, "dashboard": 200}
MEMORY_TARGET_MB = 300
#: "Streamed in constant memory": the web processes may grow this much while one client
#: downloads the largest export there is (compare with its size in the report).
EXPORT_GROWTH_LIMIT_MB = 32
CONFIG_DEFAULT = "deploy/gunicorn.conf.py default"
#: How long the simulated users may take to sign in before a run counts as hung.
SETUP_ALLOWANCE_S = 300


def main() -> int:
    args = parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "settings": {
            "scale": args.scale,
            "databases": args.databases,
            "users": args.users,
            "duration_s": args.duration,
            "latency_duration_s": args.latency_duration,
            "mixed_users": args.mixed_users,
            "mixed_duration_s": args.mixed_duration,
            "mixed_think_s": args.think,
            "web_concurrency": os.environ.get("WEB_CONCURRENCY", CONFIG_DEFAULT),
            "gunicorn_threads": os.environ.get("GUNICORN_THREADS", CONFIG_DEFAULT),
            "check_flat": args.check_flat,
            "smoke": args.smoke,
        },
        "databases": {},
        "problems": [],
    }
    secret = secrets.token_urlsafe(64)
    runs = [BenchRun(vendor=v, scale=args.scale, args=args, secret=secret) for v in args.databases]
    stop_on_signal(runs)
    if args.parallel:
        # The smoke checks behaviour, not speed: both databases at once halve its time.
        threads = [threading.Thread(target=run.execute) for run in runs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for run in runs:
            results["databases"][run.vendor] = run.result
            # The measurements are on disk before the (long) query-count check starts.
            run.checkpoint = lambda: write_outputs(results, out)
            run.execute()
            write_outputs(results, out)
    for run in runs:
        results["databases"][run.vendor] = run.result
        results["problems"] += [f"{run.vendor}: {p}" for p in run.problems]
    if args.memory_pass and not (args.scale == "consortium" and "sqlite" in args.databases):
        run = BenchRun(
            vendor="sqlite", scale="consortium", args=args, secret=secret, memory_only=True
        )
        stop_on_signal([run])
        results["memory_pass"] = run.execute()
        results["problems"] += [f"memory pass: {p}" for p in run.problems]
    results["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    write_outputs(results, out)
    try:
        json.loads(out.read_text(encoding="utf-8"))
        written = out.with_suffix(".md").read_text(encoding="utf-8").startswith("# ")
    except (OSError, ValueError):
        written = False
    if not written:
        results["problems"].append(f"the results were not written to {out} and its .md")
    print(f"\nbench: wrote {out} and {out.with_suffix('.md')}")
    for problem in results["problems"]:
        print(f"bench: FAILED: {problem}", file=sys.stderr)
    if args.smoke and not results["problems"]:
        shutil.rmtree(args.scratch, ignore_errors=True)  # its logs only matter on failure
    return 1 if results["problems"] else 0


def stop_on_signal(runs: list[BenchRun]) -> None:
    """On Ctrl-C or SIGTERM: end every process this run started (servers, locust, a
    build), drop temporary databases, and exit; nothing is left running."""

    def handler(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        children = psutil.Process().children(recursive=True)
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.terminate()
        _gone, alive = psutil.wait_procs(children, timeout=15)
        for child in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        for run in runs:
            if run.args.drop_after:
                with contextlib.suppress(Exception):
                    run.drop_database()
        print(f"bench: stopped by signal {signum}", file=sys.stderr)
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "national"))
    parser.add_argument(
        "--databases",
        default=os.environ.get("BENCH_DATABASES", "sqlite,postgresql"),
        type=lambda text: [d.strip() for d in text.split(",") if d.strip()],
    )
    parser.add_argument("--out", default=os.environ.get("BENCH_OUT", "bench/results.json"))
    parser.add_argument("--users", type=int, default=10, help="concurrent users per scenario")
    parser.add_argument("--duration", type=int, default=30, help="seconds per scenario")
    parser.add_argument(
        "--latency-duration",
        type=int,
        default=20,
        help="seconds of each scenario again with one user (the latency targets; 0 skips)",
    )
    parser.add_argument("--mixed-users", type=int, default=50)
    parser.add_argument("--mixed-duration", type=int, default=120)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause (s) between a mixed user's requests"
    )
    parser.add_argument("--warmup", type=int, default=15, help="seconds of mixed load first")
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench databases")
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="measure the database as it is, with the manifest already in the --var-dir",
    )
    parser.add_argument(
        "--check-flat",
        action=argparse.BooleanOptionalAction,
        default=os.environ.get("BENCH_CHECK_FLAT", "1") == "1",
        help="grow a copy of the data set and fail if a query count grew",
    )
    parser.add_argument(
        "--memory-pass",
        action=argparse.BooleanOptionalAction,
        default=os.environ.get("BENCH_MEMORY_PASS", "1") == "1",
        help="also measure memory on SQLite at consortium scale (the memory target's size)",
    )
    parser.add_argument("--sqlite-path", help="the SQLite bench database (default var/bench/…)")
    parser.add_argument("--pg-database", help="the PostgreSQL bench database name")
    parser.add_argument(
        "--drop-after", action="store_true", help="delete the bench databases afterwards (CI)"
    )
    parser.add_argument(
        "--var-dir", default=str(ROOT / "var" / "bench"), help="working files, per run a folder"
    )
    parser.add_argument("--parallel", action="store_true", help="the databases at the same time")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI: tiny data set in a temporary SQLite file and a fresh PostgreSQL database"
        " (both deleted afterwards), short runs, databases in parallel, query counts checked",
    )
    args = parser.parse_args()
    if args.smoke:
        scratch = Path(tempfile.mkdtemp(prefix="sluss-bench-smoke-"))
        args.scratch = scratch
        args.scale, args.users, args.duration, args.warmup = "tiny", 2, 3, 3
        args.latency_duration = 2
        args.mixed_users, args.mixed_duration = 20, 15
        args.check_flat, args.memory_pass, args.parallel, args.drop_after = True, False, True, True
        args.sqlite_path = str(scratch / "tiny.sqlite3")
        args.var_dir = str(scratch)
        args.pg_database = f"sluss_bench_smoke_{int(time.time())}_{os.getpid()}"
        if "BENCH_OUT" not in os.environ and args.out == "bench/results.json":
            args.out = str(ROOT / "var" / "bench" / "smoke" / "results.json")
    unknown = set(args.databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    return args


# --- One database: build, serve, measure --------------------------------------------------


class StepFailed(Exception):
    pass


class BenchRun:
    """Everything measured on one database at one scale."""

    def __init__(self, *, vendor: str, scale: str, args, secret: str, memory_only: bool = False):
        self.vendor, self.scale, self.args, self.memory_only = vendor, scale, args, memory_only
        # The memory pass is a run of its own on the default consortium database; the path
        # options name the main run's database and files.
        sqlite_path = None if memory_only else args.sqlite_path
        bench_dir = ROOT / "var" / "bench"
        self.var = Path(args.var_dir) / f"{vendor}-{scale}"
        self.var.mkdir(parents=True, exist_ok=True)
        self.manifest = self.var / "manifest.json"
        if vendor == "sqlite":
            self.sqlite_path = Path(sqlite_path or bench_dir / f"{scale}.sqlite3")
            self.database_url = f"sqlite:///{self.sqlite_path}"
        else:
            self.pg_name = args.pg_database or f"sluss_bench_{scale}"
            self.database_url = f"{PG_SERVER}/{self.pg_name}"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SLUSS_VAR_DIR": str(self.var),
            "DJANGO_SETTINGS_MODULE": "sluss.settings_production",
            "DJANGO_SECRET_KEY": secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"https://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "false",
            "SLUSS_TRUSTED_PROXY_COUNT": "1",
            # Real emails (receipts, notifications) written as files, not sent anywhere.
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.var / "sent-email"),
            "PORT": str(self.port),
            "BIND": f"127.0.0.1:{self.port}",
            "PYTHONUNBUFFERED": "1",
        }
        if memory_only:
            # The memory target is for the small server: deploy/gunicorn.conf.py's own
            # defaults, whatever the main run's WEB_CONCURRENCY or GUNICORN_THREADS.
            for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
                self.env.pop(name, None)
        self.processes: dict[str, subprocess.Popen] = {}
        self.checkpoint: Callable[[], None] = lambda: None
        self.problems: list[str] = []
        self.result: dict = {"vendor": vendor, "scale": scale, "database": self.describe_db()}

    def build_log(self, name: str) -> str | None:
        """The build's progress bar goes to the terminal, unless runs share it."""
        return name if self.args.parallel else None

    def say(self, message: str) -> None:
        print(f"bench [{self.vendor}]: {message}", flush=True)

    def describe_db(self) -> str:
        return str(self.sqlite_path) if self.vendor == "sqlite" else f"PostgreSQL {self.pg_name}"

    def execute(self) -> dict:
        label = f"{self.vendor}/{self.scale}" + (" (memory pass)" if self.memory_only else "")
        self.say(f"=== {label} ===")
        try:
            self.prepare()
            self.result["queries"] = self.count_queries(self.manifest)
            self.write_plan()
            meter = self.serve()
            try:
                self.measure(meter)
            finally:
                meter.stop()
                self.stop_servers()
            self.result["targets"] = evaluate_targets(self.result, memory_only=self.memory_only)
            self.result["problems"] = self.problems
            self.checkpoint()
            if self.args.check_flat and not self.memory_only:
                self.check_flat()
        except StepFailed as error:
            self.problems.append(str(error))
        finally:
            self.stop_servers()
            if self.args.drop_after:
                self.drop_database()
        self.result["targets"] = evaluate_targets(self.result, memory_only=self.memory_only)
        self.result["problems"] = self.problems
        return self.result

    # -- building ---------------------------------------------------------------------------

    def prepare(self) -> None:
        if self.vendor == "postgresql":
            self.pg_ensure(self.pg_name, fresh=self.args.fresh and not self.args.no_build)
        else:
            if self.args.fresh and not self.args.no_build:
                for path in self.sqlite_files(self.sqlite_path):
                    path.unlink(missing_ok=True)
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", log="migrate")
        if self.args.no_build:
            self.say(f"--no-build, measuring {self.describe_db()} with {self.manifest}")
        else:
            started = time.monotonic()
            # The build's progress bar goes to the terminal (stderr passes through).
            self.manage(
                "bench_build", "--scale", self.scale, "--manifest", str(self.manifest),
                log=self.build_log("bench_build"),
            )  # fmt: skip
            self.result["build_wall_seconds"] = round(time.monotonic() - started, 1)
        self.manage("collectstatic", "--noinput", log="collectstatic")
        manifest = json.loads(self.manifest.read_text(encoding="utf-8"))
        self.result["data_set"] = {
            key: manifest.get(key) for key in ("scale", "vendor", "seed", "build_seconds", "counts")
        }

    def count_queries(self, manifest: Path, env: dict | None = None) -> dict:
        self.say("counting queries per endpoint")
        output = self.manage(
            "bench_queries", "--manifest", str(manifest), log="bench_queries", capture=True, env=env
        )
        return json.loads(output)

    def write_plan(self) -> None:
        manifest = json.loads(self.manifest.read_text(encoding="utf-8"))
        manifest["plan"] = self.result["queries"]["plan"]
        self.plan_path = self.var / "plan.json"
        self.plan_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    # -- serving ----------------------------------------------------------------------------

    def serve(self) -> Meter:
        logs = self.var / "logs"
        logs.mkdir(exist_ok=True)
        worker_command = (
            [PYTHON, "manage.py", "worker"]
            if list(ROOT.glob("apps/*/management/commands/worker.py"))
            else [PYTHON, "manage.py", "db_worker", "--no-reload"]
        )
        self.result["worker_command"] = " ".join(worker_command[1:])
        self.start("worker", worker_command, logs / "worker.log")
        self.start(
            "web",
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "sluss.wsgi"],
            logs / "web.log",
        )
        ready = self.wait_ready()
        self.result["ready_check"] = ready
        meter = Meter({"web": self.processes["web"].pid, "worker": self.processes["worker"].pid})
        meter.start()
        return meter

    def start(self, name: str, command: list[str], log: Path) -> None:
        handle = log.open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT
        )

    def wait_ready(self) -> str:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise StepFailed(
                        f"{name} exited with {process.returncode}; see {self.var}/logs"
                    )
            for path in ("/readyz", "/healthz"):
                status = http_status(self.port, path)
                if status == 200:
                    return path
                if status == 404 and path == "/readyz":
                    continue
                break
            time.sleep(0.5)
        raise StepFailed("the server did not become ready within 180 s")

    def stop_servers(self) -> None:
        for name in ("web", "worker"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                # Only our own process and its children.
                for child in psutil.Process(process.pid).children(recursive=True):
                    child.kill()
                process.kill()
                process.wait()

    # -- measuring --------------------------------------------------------------------------

    def measure(self, meter: Meter) -> None:
        args = self.args
        self.say(f"warm-up ({args.warmup} s of mixed load)")
        self.locust("mixed", users=min(10, args.mixed_users), seconds=args.warmup, think=0.2)
        time.sleep(3)  # let the worker finish what the warm-up handed in
        self.result["workers"] = {
            "web_processes": meter.process_count("web"),
            "worker_processes": meter.process_count("worker"),
        }
        self.result["memory"] = {"at_rest": meter.settle()}
        scenarios: dict = {}
        if not self.memory_only:
            for name, what, who in SCENARIOS:
                self.say(f"scenario {name} ({args.users} users, {args.duration} s)")
                # Other work on the machine shows here: the numbers are only as good as
                # the machine was quiet.
                load_before = round(os.getloadavg()[0], 2)
                stats = self.locust(name, users=args.users, seconds=args.duration, meter=meter)
                row = stats["rows"].get(name) or empty_row()
                row.update(what=what, who=who, peak_memory=stats["peak"])
                row["load_average_1m_before"] = load_before
                # Ideas handed in are embedded by the worker afterwards; the next scenario
                # should not pay for that.
                row["worker_busy_after_s"] = meter.wait_idle("worker")
                row["queries"] = self.result["queries"]["endpoints"].get(name, {}).get("queries")
                row["setup_failures"] = stats["setup_failures"]
                scenarios[name] = row
                if row["errors"] or row["requests"] == 0 or stats["setup_failures"]:
                    self.problems.append(
                        f"scenario {name}: {row['errors']} errors in {row['requests']} requests"
                        f" ({stats['setup_failures']} failed sign-ins); {stats['failures']}"
                    )
                # The smoke run checks that the pass works on the scenarios with a latency
                # target only: each locust start costs seconds of CI.
                if args.latency_duration and (not args.smoke or name in P95_TARGETS):
                    row["latency"] = self.latency(name, meter)
            # The yardstick is the trivial page; /healthz, which Django's middleware never
            # sees, shows what the server itself can answer (bench/README.md).
            trivial_rps = scenarios["trivial"]["rps"] or None
            healthz_rps = scenarios["healthz"]["rps"] or None
            for row in scenarios.values():
                row["ratio"] = round(row["rps"] / trivial_rps, 4) if trivial_rps else None
                row["ratio_to_healthz"] = (
                    round(row["rps"] / healthz_rps, 4) if healthz_rps else None
                )
            self.result["scenarios"] = scenarios
            self.result["export_memory"] = self.large_export(meter)
        self.say(f"mixed load ({args.mixed_users} users, {args.mixed_duration} s)")
        stats = self.locust(
            "mixed",
            users=args.mixed_users,
            seconds=args.mixed_duration,
            think=args.think,
            meter=meter,
        )
        self.result["mixed"] = {
            "users": args.mixed_users,
            "duration_s": args.mixed_duration,
            "think_s": args.think,
            "total": stats["rows"].get("Aggregated") or empty_row(),
            "by_name": {k: v for k, v in stats["rows"].items() if k != "Aggregated"},
            "failures": stats["failures"],
        }
        self.result["memory"]["under_load_peak"] = stats["peak"]
        errors = self.result["mixed"]["total"]["errors"]
        if errors:
            self.problems.append(f"mixed load: {errors} errors: {stats['failures']}")

    def latency(self, name: str, meter: Meter) -> dict:
        """The scenario once more with ONE user: each request's own time, with no queue in
        front of it. Under the closed loop of `--users` users without a pause, a request
        waits for the ones ahead of it, so that run's percentiles grow with the user count
        on any server; the latency targets are read here."""
        seconds = self.args.latency_duration
        self.say(f"scenario {name}, latency (1 user, {seconds} s)")
        stats = self.locust(name, users=1, seconds=seconds)
        row = stats["rows"].get(name) or empty_row()
        meter.wait_idle("worker")
        if row["errors"] or row["requests"] == 0:
            self.problems.append(
                f"scenario {name} (1 user): {row['errors']} errors in {row['requests']}"
                f" requests; {stats['failures']}"
            )
        keys = ("requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms")
        return {key: row.get(key) for key in keys}

    def locust(
        self, scenario: str, *, users: int, seconds: int, think: float = 0.0, meter=None
    ) -> dict:
        """Run one locust process; its users set up (sign in) first, then the load runs
        `seconds`. With a meter, the peak memory of the load alone is in "peak"."""
        prefix = self.var / "locust" / scenario
        prefix.parent.mkdir(exist_ok=True)
        for old in prefix.parent.glob(f"{scenario}_*.csv"):
            old.unlink()
        ready_file = self.var / "locust" / f"{scenario}.ready"
        ready_file.unlink(missing_ok=True)
        env = {
            **os.environ,
            "BENCH_PLAN": str(self.plan_path),
            "BENCH_SCENARIO": scenario,
            "BENCH_THINK": str(think),
            "BENCH_USERS": str(users),
            "BENCH_DURATION": str(seconds),
            "BENCH_READY_FILE": str(ready_file),
        }
        command = [
            str(BIN / "locust"),
            "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host", self.base,
            "--users", str(users),
            "--spawn-rate", str(users),
            # The locustfile stops the run `seconds` after the last user is set up; this
            # is only the bound should setting up hang.
            "--run-time", f"{seconds + SETUP_ALLOWANCE_S}s",
            "--stop-timeout", "30",
            "--csv", str(prefix),
            "--only-summary",
            "--loglevel", "WARNING",
            "--exit-code-on-error", "0",
        ]  # fmt: skip
        log = self.var / "logs" / f"locust-{scenario}.log"
        peak = None
        with log.open("wb") as handle:
            process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
            )
            while process.poll() is None and not ready_file.exists():
                time.sleep(0.1)
            if meter is not None and process.poll() is None:
                with meter.window() as window:
                    process.wait()
                peak = window.result
            process.wait()
        if process.returncode != 0:
            raise StepFailed(f"locust ({scenario}) exited with {process.returncode}; see {log}")
        if not ready_file.exists():
            raise StepFailed(f"locust ({scenario}): the users were never all set up; see {log}")
        return {**read_locust(prefix), "peak": peak}

    def large_export(self, meter: Meter) -> dict:
        """One download of the largest export there is (the process leader's, no filter),
        with the web processes' memory sampled every 50 ms."""
        plan = self.result["queries"]["plan"]
        manifest = json.loads(self.manifest.read_text(encoding="utf-8"))
        self.say("one large export download, memory sampled")
        answer = None
        for role in ("leader", "coach"):
            client = PlainClient(self.port, address=f"10.255.{len(role)}.1")
            client.login(manifest[role]["email"], manifest["password"])
            # Once unmeasured (the first request of a process imports and fills caches).
            client.get(plan["export_path"], download=True)
            time.sleep(1)
            with meter.window(interval=0.05) as peak:
                answer = client.get(plan["export_path"], download=True)
            if answer["status"] == 200:
                return {
                    "as": role,
                    "path": plan["export_path"],
                    "bytes": answer["bytes"],
                    "lines": answer["lines"],
                    "seconds": answer["seconds"],
                    "streamed": answer["streamed"],
                    "web_rss_before_mb": peak.before["web"]["rss_mb"],
                    "web_rss_peak_mb": peak.result["web"]["rss_mb"],
                    "web_rss_growth_mb": round(
                        peak.result["web"]["rss_mb"] - peak.before["web"]["rss_mb"], 1
                    ),
                }
        self.problems.append(f"large export answered {answer and answer['status']}")
        return {}

    # -- query counts that do not grow ------------------------------------------------------

    def check_flat(self) -> None:
        """Grow a copy of the data set and count again; every count must stay the same."""
        self.say("query counts on a grown copy of the data set")
        copy_manifest = self.var / "manifest-grown.json"
        env = dict(self.env)
        if self.vendor == "sqlite":
            copy = self.sqlite_path.with_name(self.sqlite_path.stem + "-grown.sqlite3")
            for path in self.sqlite_files(copy):
                path.unlink(missing_ok=True)
            with sqlite3.connect(self.sqlite_path) as source, sqlite3.connect(copy) as target:
                source.backup(target)
            env["DATABASE_URL"] = f"sqlite:///{copy}"
        else:
            copy = f"{self.pg_name}_grown"
            self.pg_execute(f'DROP DATABASE IF EXISTS "{copy}"')
            self.pg_execute(f'CREATE DATABASE "{copy}" TEMPLATE "{self.pg_name}"')
            env["DATABASE_URL"] = f"{PG_SERVER}/{copy}"
        try:
            shutil.copy(self.manifest, copy_manifest)
            self.manage(
                "bench_build", "--scale", self.scale, "--grow", "--manifest", str(copy_manifest),
                log=self.build_log("bench_build_grow"), env=env,
            )  # fmt: skip
            # The same inputs as before (the grown manifest names other ideas): the count
            # of one idea's page may differ from another's by what the idea has, but the
            # same idea's must not change because there is more data around it.
            original = json.loads(self.manifest.read_text(encoding="utf-8"))
            grown = json.loads(copy_manifest.read_text(encoding="utf-8"))
            grown_counts = grown.get("counts", {})
            for key in ("idea_references", "search_terms", "similar_queries", "list_filters"):
                grown[key] = original[key]
            copy_manifest.write_text(json.dumps(grown, ensure_ascii=False), encoding="utf-8")
            after = self.count_queries(copy_manifest, env=env)
        finally:
            if self.vendor == "sqlite":
                for path in self.sqlite_files(copy):
                    path.unlink(missing_ok=True)
            else:
                self.pg_execute(f'DROP DATABASE IF EXISTS "{copy}"')
        before = self.result["queries"]
        comparison, grew = {}, []
        for name, counts in before["endpoints"].items():
            later = after["endpoints"].get(name, {})
            pairs = [
                (str(value)[:60], count, later_count)
                # By input: [input, count] (the export adds the raw count and its rows).
                for (value, count, *_), (_same, later_count, *_) in zip(
                    counts["by_input"], later.get("by_input", []), strict=False
                )
            ]
            if "queries_cold" in counts:
                pairs.append(("cold", counts["queries_cold"], later.get("queries_cold")))
            comparison[name] = {
                "before": counts["queries"],
                "after": later.get("queries"),
                "by_input": pairs,
            }
            if len(later.get("by_input", [])) != len(counts["by_input"]):
                grew.append(f"{name}: measured for other inputs after growing")
            for value, count, later_count in pairs:
                if later_count is None or later_count > count:
                    grew.append(f"{name} ({value}) {count} -> {later_count}")
        self.result["flat"] = {
            "ideas_before": self.result["data_set"]["counts"].get("ideas"),
            "ideas_after": grown_counts.get("ideas"),
            "counts": comparison,
            "grew": grew,
            "flat": not grew,
        }
        if grew:
            self.problems.append("query counts grew with the data: " + "; ".join(grew))

    # -- helpers ------------------------------------------------------------------------------

    def manage(self, *command: str, log: str | None, capture: bool = False, env=None) -> str:
        """Run `manage.py <command>`; its output goes to a log file (or the terminal)."""
        full = [PYTHON, "manage.py", *command]
        env = env or self.env
        if capture:
            done = subprocess.run(full, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
            (self.var / f"{log}.log").write_text(done.stderr, encoding="utf-8")
            if done.returncode:
                raise StepFailed(f"manage.py {command[0]} failed:\n{done.stderr[-3000:]}")
            return done.stdout
        if log is None:
            done = subprocess.run(full, cwd=ROOT, env=env)  # noqa: S603
            if done.returncode:
                raise StepFailed(f"manage.py {command[0]} exited with {done.returncode}")
            return ""
        path = self.var / f"{log}.log"
        with path.open("wb") as handle:
            done = subprocess.run(  # noqa: S603
                full, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
            )
        if done.returncode:
            tail = path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise StepFailed(f"manage.py {command[0]} failed:\n{tail}")
        return ""

    @staticmethod
    def sqlite_files(path: Path) -> list[Path]:
        return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]

    def pg_execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def pg_ensure(self, name: str, *, fresh: bool) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            if fresh:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')

    def drop_database(self) -> None:
        if self.vendor == "postgresql":
            self.pg_execute(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
        else:
            for path in self.sqlite_files(self.sqlite_path):
                path.unlink(missing_ok=True)


# --- Memory --------------------------------------------------------------------------------


class Meter(threading.Thread):
    """Samples the resident memory of process groups (a process and all its children)."""

    def __init__(self, roots: dict[str, int], interval: float = 0.5):
        super().__init__(daemon=True)
        self.roots = {name: psutil.Process(pid) for name, pid in roots.items()}
        self.interval = interval
        self.windows: list[Window] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def processes(self, name: str) -> list[psutil.Process]:
        root = self.roots[name]
        try:
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def wait_idle(self, name: str, *, limit_s: float = 180) -> float:
        """Wait until the group uses under 5 % of a CPU for two seconds running; the
        seconds waited."""
        started = time.monotonic()
        quiet_since = None
        tracked: dict[int, psutil.Process] = {}
        while time.monotonic() - started < limit_s:
            busy = 0.0
            for process in self.processes(name):
                # cpu_percent compares with the previous call on the same object.
                process = tracked.setdefault(process.pid, process)
                with contextlib.suppress(psutil.NoSuchProcess):
                    busy += process.cpu_percent(interval=None)
            now = time.monotonic()
            if busy < 5:
                quiet_since = quiet_since or now
                if now - quiet_since >= 2:
                    break
            else:
                quiet_since = None
            time.sleep(0.5)
        return round(time.monotonic() - started, 1)

    def process_count(self, name: str) -> int:
        return len(self.processes(name))

    def sample(self) -> dict:
        """MB per group and in total: RSS (what the target counts), PSS and USS."""
        result = {}
        for name in self.roots:
            rss = pss = uss = 0
            for process in self.processes(name):
                try:
                    info = process.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss, pss, uss = rss + info.rss, pss + info.pss, uss + info.uss
            result[name] = {"rss_mb": mb(rss), "pss_mb": mb(pss), "uss_mb": mb(uss)}
        result["total"] = {
            key: round(sum(group[key] for group in result.values()), 1)
            for key in ("rss_mb", "pss_mb", "uss_mb")
        }
        return result

    def run(self) -> None:
        while not self.stopped.is_set():
            current = self.sample()
            with self.lock:
                for window in self.windows:
                    window.add(current)
            interval = min([self.interval, *(w.interval for w in self.windows)])
            self.stopped.wait(interval)

    def stop(self) -> None:
        self.stopped.set()

    def settle(self) -> dict:
        """At rest: the median of ten samples a second apart, nothing being requested."""
        samples = []
        for _ in range(10):
            samples.append(self.sample())
            time.sleep(1)
        samples.sort(key=lambda s: s["total"]["rss_mb"])
        return samples[len(samples) // 2]

    @contextlib.contextmanager
    def window(self, interval: float = 0.5):
        window = Window(self.sample(), interval)
        with self.lock:
            self.windows.append(window)
        try:
            yield window
        finally:
            window.add(self.sample())
            with self.lock:
                self.windows.remove(window)


class Window:
    """The peak of every figure between the start and the end of a measurement."""

    def __init__(self, before: dict, interval: float):
        self.before, self.interval = before, interval
        self.result = json.loads(json.dumps(before))
        self.samples = 0

    def add(self, sample: dict) -> None:
        self.samples += 1
        for group, figures in sample.items():
            for key, value in figures.items():
                self.result[group][key] = max(self.result[group][key], value)


def mb(value: int) -> float:
    return round(value / 2**20, 1)


# --- HTTP without a load generator (the ready check, the large export) -----------------------


def http_status(port: int, path: str) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return None


class PlainClient:
    """A signed-in browser, enough for one download: cookies kept by hand (they are
    Secure, the connection is plain http behind the pretend proxy)."""

    def __init__(self, port: int, *, address: str):
        self.port, self.address = port, address
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        all_headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return connection, response

    def login(self, email: str, password: str) -> None:
        connection, response = self.request("GET", "/accounts/login/")
        page = response.read().decode("utf-8", "replace")
        connection.close()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        body = urllib.parse.urlencode(
            {"login": email, "password": password, "csrfmiddlewaretoken": match.group(1)}
        ).encode()
        connection, response = self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/accounts/login/",
            },
        )
        response.read()
        connection.close()
        if response.status != 302:
            raise StepFailed(f"sign-in of {email} for the export answered {response.status}")

    def get(self, path: str, *, download: bool = False) -> dict:
        started = time.monotonic()
        connection, response = self.request("GET", path)
        size = lines = 0
        while chunk := response.read(65536):
            size += len(chunk)
            lines += chunk.count(b"\n")
        connection.close()
        return {
            "status": response.status,
            "bytes": size,
            "lines": lines,
            "seconds": round(time.monotonic() - started, 2),
            # Streamed: no Content-Length up front (chunked transfer).
            "streamed": response.getheader("Content-Length") is None,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Locust's numbers --------------------------------------------------------------------


def empty_row() -> dict:
    return {"requests": 0, "errors": 0, "rps": 0.0, "p50_ms": None, "p95_ms": None, "p99_ms": None}


def read_locust(prefix: Path) -> dict:
    rows = {}
    setup_failures = 0
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            if name.startswith("setup: "):
                setup_failures += int(row["Failure Count"])
                continue
            rows[name] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2),
                "p50_ms": number(row["50%"]),
                "p95_ms": number(row["95%"]),
                "p99_ms": number(row["99%"]),
                "mean_ms": number(row["Average Response Time"]),
                "max_ms": number(row["Max Response Time"]),
            }
    failures = []
    with (
        contextlib.suppress(FileNotFoundError),
        open(f"{prefix}_failures.csv", newline="", encoding="utf-8") as handle,
    ):
        failures = [
            f"{row['Name']}: {row['Error']} (x{row['Occurrences']})"
            for row in csv.DictReader(handle)
        ]
    return {"rows": rows, "setup_failures": setup_failures, "failures": failures[:20]}


def number(text: str) -> float | None:
    try:
        return round(float(text), 1)
    except ValueError:
        return None


# --- Targets, machine, output ------------------------------------------------------------------


def evaluate_targets(result: dict, *, memory_only: bool) -> list[dict]:
    """Issue 8's targets, each with the measured value and whether it was met, and
    whether the target is set for a run like this one (`applies_here`): a national
    target read on a smaller data set, or the memory target on PostgreSQL, is shown but
    only for information."""
    targets = []
    national = result["scale"] == "national"
    consortium_sqlite = result["scale"] == "consortium" and result["vendor"] == "sqlite"

    def add(name, value, limit, passed, applies="national scale (500,000 ideas)", here=None):
        targets.append(
            {
                "target": name,
                "value": value,
                "limit": limit,
                "pass": passed,
                "applies_to": applies,
                "applies_here": national if here is None else here,
            }
        )

    scenarios = result.get("scenarios", {})
    if not memory_only:
        # The idea page's similar ideas come in a request of their own after the page.
        for name in ("list", "board", "idea_page", "idea_similar"):
            ratio = scenarios.get(name, {}).get("ratio")
            add(f"{name} req/s ≥ {RATIO_TARGET} × trivial", ratio, RATIO_TARGET,
                ratio is not None and ratio >= RATIO_TARGET)  # fmt: skip
        for name, limit in P95_TARGETS.items():
            # Read with one user (a request's own time); without that pass, under the load.
            row = scenarios.get(name, {})
            alone = row.get("latency")
            p95 = (alone or row).get("p95_ms")
            label = "1 user" if alone else "under load"
            add(f"{name} p95 ≤ {limit} ms ({label})", p95, limit, p95 is not None and p95 <= limit)
        export = result.get("export_memory", {})
        growth = export.get("web_rss_growth_mb")
        add(
            f"export streamed, web RSS growth ≤ {EXPORT_GROWTH_LIMIT_MB} MB during the largest"
            " download",
            growth,
            EXPORT_GROWTH_LIMIT_MB,
            growth is not None and growth <= EXPORT_GROWTH_LIMIT_MB and export.get("streamed"),
        )
        flat = result.get("flat")
        add("query counts do not grow with the data (bench_build --grow)",
            None if flat is None else not flat["grew"], True,
            None if flat is None else flat["flat"], "every scale", True)  # fmt: skip
    memory = result.get("memory", {})
    applies = "SQLite, consortium scale"
    for moment, key in (("at rest", "at_rest"), ("under the mixed load (peak)", "under_load_peak")):
        value = memory.get(key, {}).get("total", {}).get("rss_mb")
        passed = value is not None and value <= MEMORY_TARGET_MB
        add(f"web + worker RSS {moment} ≤ {MEMORY_TARGET_MB} MB", value, MEMORY_TARGET_MB,
            passed, applies, consortium_sqlite)  # fmt: skip
    errors = result.get("mixed", {}).get("total", {}).get("errors")
    add("mixed load ends with zero errors (enforced)", errors, 0, errors == 0, "every run", True)
    return targets


def machine_info() -> dict:
    cpu_model = platform.processor()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    info = {
        "cores": psutil.cpu_count(logical=True),
        "physical_cores": psutil.cpu_count(logical=False),
        "cpu_model": cpu_model,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
    }
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=5) as connection:
            info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    with contextlib.suppress(Exception):
        import locust

        info["locust"] = locust.__version__
    return info


def git(*args: str) -> str | None:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
    return done.stdout.strip() if done.returncode == 0 else None


def write_outputs(results: dict, out: Path) -> None:
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(results), encoding="utf-8")


def cell(value, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    if isinstance(value, float):
        value = f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"
    return f"{value}{suffix}"


def markdown(results: dict) -> str:
    machine, settings = results["machine"], results["settings"]
    lines = [
        "# Sluss benchmark results",
        "",
        f"Run {results['started_at']} on {machine['cores']} cores ({machine['cpu_model']}),"
        f" {machine['ram_gb']} GB RAM, Python {machine['python']}, SQLite {machine['sqlite']},"
        f" PostgreSQL {machine['postgresql'] or '–'}; commit {(machine['git_commit'] or '?')[:10]}"
        f"{' (with uncommitted changes)' if machine['git_dirty'] else ''}.",
        f"Each scenario alone: {settings['users']} users for {settings['duration_s']} s, no pause,"
        f" then 1 user for {settings.get('latency_duration_s') or 0} s."
        f" Mixed: {settings['mixed_users']} users for {settings['mixed_duration_s']} s,"
        f" {settings['mixed_think_s']} s mean pause. gunicorn workers: "
        f"{settings['web_concurrency']}, threads: {settings['gunicorn_threads']}."
        " The load generator (locust) shares the machine.",
        "",
    ]
    for vendor, result in results["databases"].items():
        lines += database_markdown(vendor, result)
    if "memory_pass" in results:
        lines += database_markdown(
            "sqlite (memory pass, the web server with its default processes and threads)",
            results["memory_pass"],
        )
    if results["problems"]:
        lines += ["## Problems", "", *[f"- {p}" for p in results["problems"]], ""]
    return "\n".join(lines)


def database_markdown(vendor: str, result: dict) -> list[str]:
    data = result.get("data_set", {})
    counts = data.get("counts") or {}
    lines = [
        f"## {vendor}, scale {result['scale']}",
        "",
        f"Data set: {cell(counts.get('ideas'))} ideas, {cell(counts.get('people'))} people,"
        f" {cell(counts.get('municipalities'))} municipalities,"
        f" {cell(counts.get('timeline_entries'))} timeline entries"
        f" (built in {cell(data.get('build_seconds'))} s).",
        "",
    ]
    scenarios = result.get("scenarios")
    loads = [row.get("load_average_1m_before") for row in (scenarios or {}).values()]
    loads = [load for load in loads if load is not None]
    if loads:
        lines += [
            f"Machine load (1-minute average) before the scenarios: {min(loads)}–{max(loads)}"
            f" on {os.cpu_count()} cores; above the core count, other work shared the CPUs"
            " and the times are longer than the server alone would give.",
            "",
        ]
    if scenarios:
        lines += [
            "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to trivial"
            " | to /healthz | queries | 1 user: p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in scenarios.items():
            alone = row.get("latency") or {}
            lines.append(
                f"| {name} | {cell(row['rps'])} | {cell(row['p50_ms'])} | {cell(row['p95_ms'])}"
                f" | {cell(row['p99_ms'])} | {row['errors']}/{row['requests']}"
                f" | {cell(row.get('ratio'))} | {cell(row.get('ratio_to_healthz'))}"
                f" | {cell(row.get('queries'))}"
                f" | {cell(alone.get('p50_ms'))} | {cell(alone.get('p95_ms'))}"
                f" | {cell(alone.get('p99_ms'))} |"
            )
        lines += [
            "",
            "The first columns are under the closed loop of the scenario's users (no pause:"
            " a request waits behind the others, so its times grow with the user count);"
            " the last three are the same requests with one user, each request's own time."
            " The ratios are of req/s: to the trivial page (the yardstick of the target) and"
            " to /healthz, which no middleware sees (what the server itself can answer).",
            "",
        ]
    mixed = result.get("mixed")
    if mixed:
        total = mixed["total"]
        lines += [
            f"Mixed load, {mixed['users']} users, {mixed['duration_s']} s: {total['requests']}"
            f" requests, **{total['errors']} errors**, {cell(total['rps'])} req/s, p50"
            f" {cell(total['p50_ms'])} ms, p95 {cell(total['p95_ms'])} ms, p99"
            f" {cell(total['p99_ms'])} ms.",
            "",
        ]
    memory = result.get("memory", {})
    if memory:
        lines.append("| memory (MB) | web RSS | worker RSS | total RSS | total PSS | total USS |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for label, key in (("at rest", "at_rest"), ("mixed load, peak", "under_load_peak")):
            if key in memory:
                m = memory[key]
                lines.append(
                    f"| {label} | {m['web']['rss_mb']} | {m['worker']['rss_mb']}"
                    f" | {m['total']['rss_mb']} | {m['total']['pss_mb']} | {m['total']['uss_mb']} |"
                )
        workers = result.get("workers", {})
        lines += [
            "",
            f"Web processes (gunicorn master and workers): {workers.get('web_processes', '–')};"
            f" worker processes: {workers.get('worker_processes', '–')}.",
            "",
        ]
    export = result.get("export_memory")
    if export:
        lines += [
            f"Largest export ({export['path']}, as {export['as']}): {export['bytes']:,} bytes,"
            f" {export['lines']:,} lines in {export['seconds']} s, streamed: {export['streamed']};"
            f" web RSS {export['web_rss_before_mb']} → {export['web_rss_peak_mb']} MB"
            f" (growth {export['web_rss_growth_mb']} MB).",
            "",
        ]
    flat = result.get("flat")
    if flat:
        lines += [
            f"Query counts, {cell(flat['ideas_before'])} → {cell(flat['ideas_after'])} ideas:"
            f" {'flat' if flat['flat'] else 'GREW: ' + '; '.join(flat['grew'])}.",
            "",
        ]
    targets = result.get("targets", [])
    if targets:
        lines += [
            "| target | measured | met | set for |",
            "|---|---:|:---:|---|",
        ]
        for target in targets:
            met = {True: "yes", False: "**no**", None: "–"}[target["pass"]]
            if not target["applies_here"] and target["pass"] is not None:
                # Shown for information: the target is set for another scale or database.
                met = f"({met.strip('*')})"
            lines.append(
                f"| {target['target']} | {cell(target['value'])} | {met} | {target['applies_to']} |"
            )
        lines += [
            "",
            "In parentheses: the target is set for another scale or database; shown for"
            " information.",
            "",
        ]
    for problem in result.get("problems", []):
        lines.append(f"- FAILED: {problem}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
