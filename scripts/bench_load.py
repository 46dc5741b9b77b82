"""Deadline-day load test: 50 agency users against the production runtime (`dondoc serve`), on loopback only.

For each engine (SQLite in a temporary file; PostgreSQL in a throwaway cluster made by scripts/with-postgres) it
prepares a database (migrate + load_demo) and a DONDOC_HOME (collectstatic; `dondoc serve` does it too), runs today's
sweeps (`dondoc scheduler --run NAME`, one after the other: they ran at dawn), then starts exactly
`dondoc serve --bind 127.0.0.1:PORT --workers N` with DEBUG off and a mail relay that accepts (Django's dummy
backend), waits for /healthz to answer 200 and to show no sweep running, and runs USERS simulated agency users in
two phases:
- log-in phase, a new user every 200 ms: GET the login page (CSRF token), POST the login, open the reports page and
  press its "Report of … for <this month>" button (POST /reports/open/);
- work phase, --duration seconds from the moment every user is in: home `/`, the report form, think, save a draft
  (POST every field of the form as the browser would, with a changed "difficulties" text), follow the redirect and
  check the text was saved; again.
Think time between requests: uniform in [--think-min, --think-max] seconds. Then SIGTERM stops the server.

Users: the officer of every agency (user name = agency code in lower case, password "demo"), then agency heads
(`<code>_ld`) until USERS are reached (the demo has 32 agencies). An officer and the head of one agency share one
report: they take turns on it (one asyncio lock per agency, held from opening the form to the saved page), as two
people of one office do; concurrent edits of one report are the optimistic-locking tests' business, not load.

The floor, in the same run: the work phase's number of requests, by the same number of clients with no think time, to a
static file (the stylesheet, served by WhiteNoise inside the same gunicorn) — what this machine's HTTP stack does
at best; printed with the ratios app ÷ floor.

Prints per engine: requests, req/s, p50/p95/p99 per request kind and overall, errors (non-2xx/3xx, exceptions,
CSRF failures, saves not persisted). Exits 1 if any error (0 errors required). Every request goes to 127.0.0.1.

Usage: .venv/bin/python scripts/bench_load.py [--engine sqlite|postgresql|both] [--duration 300] [--users 50]
                                              [--workers 2] [--scale demo|large|xlarge]
`--scale large` adds `dondoc generate --scale large --seed 1` after load_demo: the deadline-day spike after five
years of a large province.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import lxml.html

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore runs `import sniffio` at each new connection; a failed import is not cached, so each one searched the
    # whole sys.path again (~1 ms of the client's CPU a connection). None in sys.modules fails it at once.
    sys.modules["sniffio"] = None

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TODAY = "2020-10-05"
HOST = "127.0.0.1"  # loopback only: the load never leaves this machine
# An idle connection is not reused after 1 s: the server closes idle ones after its keep-alive (gunicorn: 2 s by
# default), and a request sent on a connection the server is closing fails. Browsers retry such a request; httpx
# does not, so without this the client would count the race as the server's error.
LIMITS = httpx.Limits(keepalive_expiry=1.0)


# --- HTML forms, read as a browser reads them -------------------------------------------------------------------

class _Forms:
    """Every <form> of a page: its action, method, successful controls (what a browser posts: not disabled; a
    checkbox or radio only when checked; a select's selected option, else its first) and submit buttons; and the
    page's stylesheets. Read with lxml's HTML parser (libxml2, in C): Python's HTMLParser cost the load client
    ~10 ms a report form, on the cores it shares with the server."""

    def __init__(self, html: str):
        doc = lxml.html.document_fromstring(html) if html.strip() else lxml.html.document_fromstring("<html></html>")
        self.links = [el.get("href") for el in doc.iter("link") if el.get("rel") == "stylesheet" and el.get("href")]
        self.forms = [self._form(f) for f in doc.iter("form")]

    @staticmethod
    def _form(form) -> dict:
        found = {"action": form.get("action") or "", "method": (form.get("method") or "get").lower(),
                 "fields": [], "buttons": [], "selects": {}}
        for el in form.iter("input", "button", "select", "textarea"):
            name = el.get("name")
            if not name:
                continue
            if el.tag == "button":
                found["buttons"].append((name, el.get("value", "")))
            elif el.get("disabled") is not None:
                continue
            elif el.tag == "input":
                kind = (el.get("type") or "text").lower()
                if kind in ("submit", "button", "image"):
                    found["buttons"].append((name, el.get("value", "")))
                elif kind in ("checkbox", "radio"):
                    if el.get("checked") is not None:
                        found["fields"].append((name, el.get("value", "on")))
                elif kind != "file":
                    found["fields"].append((name, el.get("value", "")))
            elif el.tag == "textarea":
                found["fields"].append((name, el.text or ""))
            else:  # select: the selected option, else the first one (what a browser submits for a single select)
                options = list(el.iter("option"))
                chosen = next((o for o in options if o.get("selected") is not None), options[0] if options else None)
                value = "" if chosen is None else chosen.get("value", (chosen.text or "").strip())
                found["selects"][name] = value
                found["fields"].append((name, value))
        return found


def parse(html: str) -> _Forms:
    return _Forms(html)


def form_with(page: _Forms, *, button: tuple[str, str] | None = None, field: str | None = None) -> dict | None:
    for f in page.forms:
        if button and button in f["buttons"]:
            return f
        if field and any(n == field for n, _ in f["fields"]):
            return f
    return None


# --- one simulated user ------------------------------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.latency: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter = collections.Counter()
        self.samples: dict[str, str] = {}
        self.started = self.ended = 0.0
        self.cpu = 0.0  # the client's own CPU time (this process) over the phase

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        self.samples.setdefault(kind, detail[:300])

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.latency.values())


class LoadError(Exception):
    pass


async def request(client: httpx.AsyncClient, stats: Stats, kind: str, method: str, url: str, **kw) -> httpx.Response:
    start = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
    except httpx.HTTPError as exc:
        stats.error(f"{kind}: exception", f"{type(exc).__name__}: {exc}")
        raise LoadError from exc
    stats.latency[kind].append(time.perf_counter() - start)
    if response.status_code == 403 and "CSRF" in response.text:
        stats.error(f"{kind}: CSRF failure", f"{method} {url} → 403")
        raise LoadError
    if not 200 <= response.status_code < 400:
        stats.error(f"{kind}: HTTP {response.status_code}", f"{method} {url} → {response.status_code}")
        raise LoadError
    return response


def post_headers(base: str, referer: str) -> dict:
    return {"Origin": base, "Referer": referer}  # what a browser sends with a same-origin form POST


async def log_in(client: httpx.AsyncClient, base: str, username: str, stats: Stats, pause) -> str:
    """Log in, then open the agency's report for the current period as the button on the reports page does.
    Returns the report's URL."""
    login = await request(client, stats, "login page", "GET", "/accounts/login/")
    form = form_with(parse(login.text), field="username")
    if form is None:
        stats.error("login page: no form", username)
        raise LoadError
    data = dict(form["fields"]) | {"username": username, "password": "demo"}
    r = await request(client, stats, "login", "POST", "/accounts/login/", data=data,
                      headers=post_headers(base, f"{base}/accounts/login/"))
    if r.status_code != 302 or "sessionid" not in client.cookies:
        stats.error("login: refused", f"{username}: {r.status_code}")
        raise LoadError
    await pause()
    reports = await request(client, stats, "reports page", "GET", "/reports/")
    form = form_with(parse(reports.text), field="period")
    if form is None:
        stats.error("reports page: no open button", username)
        raise LoadError
    r = await request(client, stats, "open report", "POST", form["action"], data=dict(form["fields"]),
                      headers=post_headers(base, f"{base}/reports/"))
    report_url = r.headers.get("location", "")
    if not re.fullmatch(r"/reports/\d+/", report_url):
        stats.error("open report: no report", f"{username}: {r.status_code} → {report_url!r}")
        raise LoadError
    return report_url


async def work(client: httpx.AsyncClient, base: str, username: str, report_url: str, agency_lock: asyncio.Lock,
               stats: Stats, deadline: float, pause) -> None:
    """Until the deadline: home, the report form, think, save a draft, check the saved page shows it."""
    n = 0
    while time.monotonic() < deadline:
        await request(client, stats, "home", "GET", "/")
        await pause()
        async with agency_lock:
            page = await request(client, stats, "report form", "GET", report_url)
            form = form_with(parse(page.text), button=("action", "save"))
            if form is None:
                stats.error("report form: not editable", f"{username} {report_url}")
                raise LoadError
            await pause()
            n += 1
            marker = f"load test {username} #{n} {secrets.token_hex(4)}"
            fields = [(k, v) for k, v in form["fields"] if k != "difficulties"]
            fields += [("difficulties", f"Vướng mặt bằng ({marker})."), ("action", "save")]
            r = await request(client, stats, "save draft", "POST", form["action"] or report_url,
                              content=urlencode(fields), headers=post_headers(base, f"{base}{report_url}")
                              | {"Content-Type": "application/x-www-form-urlencoded"})
            if r.status_code != 302:
                stats.error("save draft: not saved", f"{username}: {r.status_code} (form shown again)")
                raise LoadError
            saved = await request(client, stats, "report form", "GET", r.headers["location"])
            if marker not in saved.text:
                stats.error("save draft: not persisted", f"{username}: {marker!r} missing after the redirect")
        await pause()


async def run_users(base: str, usernames: list[str], duration: float, think: tuple[float, float]
                    ) -> tuple[Stats, Stats]:
    """The log-in phase (every user logs in and opens its report, a new user every 200 ms), then --duration
    seconds of work by all of them together. Returns the two phases' figures."""
    setup, stats = Stats(), Stats()
    locks: dict[str, asyncio.Lock] = collections.defaultdict(asyncio.Lock)
    rng = random.Random(12)
    waiting, everyone_ready = [len(usernames)], asyncio.Event()
    setup.started = time.monotonic()

    cpu = [time.process_time()]

    def arrived():
        waiting[0] -= 1
        if waiting[0] == 0:
            setup.ended = stats.started = time.monotonic()
            setup.cpu, cpu[0] = time.process_time() - cpu[0], time.process_time()
            everyone_ready.set()

    async def one(i: int, username: str):
        user_rng = random.Random(rng.random())

        async def pause():
            await asyncio.sleep(user_rng.uniform(*think))

        await asyncio.sleep(i * 0.2)
        async with httpx.AsyncClient(base_url=base, timeout=120.0, follow_redirects=False, limits=LIMITS) as client:
            report_url = None
            try:
                report_url = await log_in(client, base, username, setup, pause)
            except LoadError:
                pass  # counted; this user stops (a real one would call the help desk)
            except Exception as exc:  # noqa: BLE001 - a bug in the client is an error too, never silent
                setup.error("client exception", f"{username}: {type(exc).__name__}: {exc}")
            finally:
                arrived()
            await everyone_ready.wait()
            if report_url is None:
                return
            try:
                await work(client, base, username, report_url, locks[username.removesuffix("_ld")], stats,
                           stats.started + duration, pause)
            except LoadError:
                pass
            except Exception as exc:  # noqa: BLE001
                stats.error("client exception", f"{username}: {type(exc).__name__}: {exc}")

    await asyncio.gather(*(one(i, u) for i, u in enumerate(usernames)))
    stats.ended = time.monotonic()
    stats.cpu = time.process_time() - cpu[0]
    return setup, stats


async def run_floor(base: str, url: str, clients: int, total: int) -> Stats:
    stats = Stats()
    remaining = [total]
    stats.started = time.monotonic()

    async def one():
        async with httpx.AsyncClient(base_url=base, timeout=120.0, limits=LIMITS) as client:
            while remaining[0] > 0:
                remaining[0] -= 1
                try:
                    await request(client, stats, "static file", "GET", url)
                except LoadError:
                    return

    await asyncio.gather(*(one() for _ in range(clients)))
    stats.ended = time.monotonic()
    return stats


# --- reporting ---------------------------------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def line(label: str, values: list[float], seconds: float) -> str:
    ms = [v * 1000 for v in values]
    return (f"  {label:<14} {len(ms):>7,} {len(ms) / seconds:>8.1f} {pct(ms, 50):>8.1f} {pct(ms, 95):>8.1f} "
            f"{pct(ms, 99):>8.1f} {max(ms):>8.1f}")


def table(title: str, stats: Stats) -> list[float]:
    seconds = stats.ended - stats.started
    every = [v for values in stats.latency.values() for v in values]
    print(f"  {title}, {seconds:.0f} s:")
    print(f"  {'kind':<14} {'requests':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in sorted(stats.latency):
        print(line(kind, stats.latency[kind], seconds))
    if every:
        print(line("overall", every, seconds))
        print(f"  the load client's own CPU: {stats.cpu:.1f} s ({stats.cpu / seconds:.0%} of a core; "
              f"{stats.cpu / len(every) * 1000:.1f} ms a request, HTML forms read included)")
    return every


def report(engine: str, setup: Stats, stats: Stats, floor: Stats | None, users: int) -> None:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n=== {engine}: {users} users; machine load average {load} ({os.cpu_count()} cores) ===")
    table("log-in phase (log in, reports page, open the report; a user every 200 ms)", setup)
    every = table("work phase (home, report form, save draft, saved form; all users at once)", stats)
    errors = setup.errors + stats.errors
    print(f"  errors: {sum(errors.values())}")
    for kind, count in sorted(errors.items()):
        print(f"    {kind}: {count}  (e.g. {setup.samples.get(kind) or stats.samples[kind]})")
    if floor is not None and floor.latency:
        seconds, fs = stats.ended - stats.started, floor.ended - floor.started
        fl = floor.latency["static file"]
        print(f"  floor: the work phase's number of requests, GETs of a static file by {users} clients, no think time:")
        print(line("floor", fl, fs))
        if every:
            print(f"  ratio work ÷ floor: p50 {pct(every, 50) / pct(fl, 50):.1f}×, p95 "
                  f"{pct(every, 95) / pct(fl, 95):.1f}×; floor req/s ÷ work req/s "
                  f"{len(fl) / fs / (len(every) / seconds):.1f}")
        if floor.errors:
            print(f"  floor errors: {dict(floor.errors)}")


def server_side(log: Path, made: int, floor: Stats | None) -> None:
    """What the server's own JSON request log (dondoc.core.logs) says: lines, statuses, time inside Django."""
    lines = []
    for text in log.read_text(errors="replace").splitlines():
        if text.startswith("{") and '"dondoc.request"' in text:
            try:
                lines.append(json.loads(text))
            except json.JSONDecodeError:
                continue
    if not lines:
        print("  server log: no JSON request line (structured logs off?)")
        return
    app = [x for x in lines if x["path"] != "/healthz" and not x["path"].startswith("/static/")]
    statuses = collections.Counter(x["status"] // 100 * 100 for x in lines)
    ms = [x["duration_ms"] for x in app]
    print(f"  server log: {len(lines):,} JSON request lines ({len(app):,} app requests; the users made "
          f"{made:,}, the floor's stylesheet look-up 1; static {sum(x['path'].startswith('/static/') for x in lines):,}, the floor made "
          f"{floor.count if floor else 0:,}); statuses {dict(sorted(statuses.items()))}")
    if ms:
        print(f"  time inside the application (app requests): p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms, "
              f"p99 {pct(ms, 99):.1f} ms — the rest of the client's latency is queueing and HTTP")


# --- the server --------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def tail(log: Path, lines: int = 30) -> str:
    """The log's last lines, less the request lines (one per request: they would hide the rest)."""
    if not log.exists():
        return ""
    kept = [x for x in log.read_text(errors="replace").splitlines() if '"logger": "dondoc.request"' not in x]
    return "\n".join(kept[-lines:])


def dondoc(env: dict, *args: str, log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run([str(BIN / "dondoc"), *args], env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        sys.exit(f"{tail(log)}\ndondoc {' '.join(args)} failed (exit {done.returncode})")


def prepare(env: dict, work: Path, scale: str = "demo", copy_of: Path | None = None) -> None:
    log = work / "prepare.log"
    start = time.perf_counter()
    if copy_of:  # a database prepared earlier (e.g. bench_pages --keep): copied, then this checkout's migrations
        shutil.copyfile(copy_of, env["DATABASE_URL"].removeprefix("sqlite:///"))
        dondoc(env, "migrate", "--no-input", log=log)
    else:
        dondoc(env, "migrate", "--no-input", log=log)
        dondoc(env, "load_demo", log=log)
        if scale != "demo":
            dondoc(env, "generate", "--scale", scale, "--seed", "1", log=log)
    if not (Path(env["DONDOC_HOME"]) / "var" / "static" / "staticfiles.json").exists():
        dondoc(env, "collectstatic", "--no-input", log=log)
    made = (f"a copy of {copy_of} + migrate" if copy_of else
            "migrate + load_demo" + (f" + generate --scale {scale}" if scale != "demo" else ""))
    print(f"prepared: {made} (+ collectstatic) in {time.perf_counter() - start:.0f} s")
    # Today's sweeps, recorded as the scheduler records them, one after the other: on deadline day they ran at
    # dawn. Otherwise a fresh `serve` owes them all and starts them at once — at `large` scale a minute of both
    # cores and write transactions of 10+ s, which is a restart's cost, not the load's.
    start = time.perf_counter()
    listed = subprocess.run([str(BIN / "dondoc"), "scheduler", "--list"], env=env, capture_output=True, text=True,
                            check=True).stdout
    names = [ln.split()[0] for ln in listed.splitlines() if ln.strip() and "(command not installed)" not in ln]
    for name in names:
        dondoc(env, "scheduler", "--run", name, log=log)
    print(f"today's sweeps run before the server starts ({', '.join(names)}) in {time.perf_counter() - start:.0f} s")


def usernames(env: dict, count: int) -> list[str]:
    """Agency officers (user name = agency code in lower case) of the agencies that report this month, then agency
    heads (`<code>_ld`)."""
    code = ("import datetime as dt\n"
            "from django.contrib.auth import get_user_model\n"
            "from dondoc.reporting import queries\n"
            "obligation = queries.default_obligation()\n"
            "codes = [a.code.lower() for a in queries.reporters(obligation, dt.date.fromisoformat('" + TODAY + "'))]\n"
            "names = get_user_model().objects.filter(username__in=codes).values_list('username', flat=True)\n"
            "print('CODES', *sorted(names))")
    out = subprocess.run([str(BIN / "dondoc"), "shell", "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    officers = next(ln.split()[1:] for ln in out.splitlines() if ln.startswith("CODES"))
    names = officers + [f"{c}_ld" for c in officers]
    if len(names) < count:
        sys.exit(f"the demo has {len(officers)} agencies: at most {len(names)} users")
    return names[:count]


def wait_healthy(base: str, server: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < end:
        if server.poll() is not None:
            sys.exit(f"{tail(log)}\ndondoc serve exited with {server.returncode} before answering")
        try:
            r = httpx.get(f"{base}/healthz", timeout=5)
            if r.status_code == 200:
                return
            last = f"{r.status_code} {r.text[:200]}"
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    stop(server)
    sys.exit(f"{tail(log)}\n/healthz did not answer 200 within {timeout:.0f} s (last: {last})")


def settle(base: str, server: subprocess.Popen, log: Path, at_most: float) -> None:
    """Wait until the sweepers a fresh start owes (backup, the daily checks, the outbox: all at once, as
    subprocesses of the scheduler) have finished — /healthz shows none "running" — for at most ``at_most`` s, then
    5 s more. At `large` scale they take a minute of both cores: a load started under them measures them."""
    start = time.monotonic()
    running: list[str] = []
    while time.monotonic() - start < at_most:
        if server.poll() is not None:
            sys.exit(f"{tail(log)}\ndondoc serve exited with {server.returncode} while settling")
        try:
            sweepers = httpx.get(f"{base}/healthz", timeout=30).json().get("sweepers", {})
        except (httpx.HTTPError, ValueError):
            sweepers = {}
        running = sorted(n for n, v in sweepers.items() if v.get("last_result") == "running")
        if sweepers and not running:
            break
        time.sleep(2)
    time.sleep(5)
    print(f"settled in {time.monotonic() - start:.0f} s (the scheduler's owed runs at start"
          + (f"; still running: {', '.join(running)})" if running else ")"), flush=True)


def stop(server: subprocess.Popen) -> str:
    if server.poll() is not None:
        return f"had already exited ({server.returncode})"
    start = time.monotonic()
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
        return f"stopped by SIGTERM in {time.monotonic() - start:.1f} s (exit {server.returncode})"
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        return "did NOT stop within 30 s of SIGTERM: killed"


def run_engine(engine: str, database_url: str, work: Path, home: Path, args) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    # The mail relay accepts every message (Django's dummy backend), as a working relay does: with none, the outbox
    # sweep would retry every generated e-mail each minute of the load (2,700 at `large`, ~15 s of CPU a minute).
    env.update(DATABASE_URL=database_url, DONDOC_HOME=str(home), DONDOC_TODAY=TODAY, DONDOC_INSECURE_HTTP="1",
               DONDOC_SECRET_KEY=secrets.token_urlsafe(50), DONDOC_DEBUG="0",
               DONDOC_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    prepare(env, work, args.scale, args.sqlite_copy if engine == "SQLite" else None)
    names = usernames(env, args.users)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = work / "serve.log"
    command = [str(BIN / "dondoc"), "serve", "--bind", f"{HOST}:{port}", "--workers", str(args.workers)]
    print(f"starting: {' '.join(command[-5:])}  (DEBUG off, log {log})")
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(base, server, log)
        if args.settle:  # a fresh start runs the sweepers it owes (backup, checks): the load starts after them
            settle(base, server, log, args.settle)
        setup, stats = asyncio.run(run_users(base, names, args.duration, (args.think_min, args.think_max)))
        css = next(iter(parse(httpx.get(f"{base}/accounts/login/").text).links), None)
        floor = asyncio.run(run_floor(base, css, args.users, stats.count)) if css else None
    finally:
        print(f"server: {stop(server)}")
        if server.returncode not in (0, -signal.SIGTERM):
            print(f"--- the server's log ---\n{tail(log)}")
    report(engine, setup, stats, floor, len(names))
    server_side(log, setup.count + stats.count, floor)
    if setup.errors or stats.errors:
        kept = Path(tempfile.gettempdir()) / f"bench_load-{engine.lower()}-serve.log"
        shutil.copyfile(log, kept)
        print(f"--- last lines of the server's log (all of it: {kept}) ---\n{tail(log)}")
    return 1 if setup.errors or stats.errors or (floor and floor.errors) else 0


def in_postgres(args) -> int:
    """Re-run this script inside a throwaway PostgreSQL cluster (scripts/with-postgres), creating its database."""
    if not os.environ.get("BENCH_LOAD_IN_CLUSTER"):
        argv = [str(ROOT / "scripts" / "with-postgres"), sys.executable, __file__, "--engine", "postgresql",
                "--duration", str(args.duration), "--users", str(args.users), "--workers", str(args.workers),
                "--think-min", str(args.think_min), "--think-max", str(args.think_max), "--scale", args.scale,
                "--settle", str(args.settle), "--today", args.today]
        return subprocess.run(argv, env={**os.environ, "BENCH_LOAD_IN_CLUSTER": "1"}, check=False).returncode
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        c.execute("CREATE DATABASE dondoc")
    with tempfile.TemporaryDirectory(prefix="dondoc-load-pg-") as tmp:
        return run_engine("PostgreSQL", url, Path(tmp), Path(tmp), args)


def main() -> int:
    global TODAY
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=300, help="seconds of load per engine (default 300)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2,
                        help="web processes: dondoc serve --workers (default 2, serve's own default, one per core here)")
    parser.add_argument("--scale", choices=["demo", "large", "xlarge"], default="demo",
                        help="data on top of the demo: dondoc generate --scale (default: the demo alone)")
    parser.add_argument("--sqlite-copy", type=Path,
                        help="SQLite: start from a copy of this database (prepared before at the wanted scale)")
    parser.add_argument("--today", default=TODAY,
                        help=f"the pinned business date, ISO (default {TODAY}; with --scale large use a date after the "
                             "generated history, e.g. 2026-01-05, so that this month's reports are still to write)")
    parser.add_argument("--settle", type=float, default=300,
                        help="at most so many seconds between the server's first healthy answer and the load, while "
                             "the sweepers a fresh start owes run (default 300; 0: no wait)")
    parser.add_argument("--think-min", type=float, default=0.5)
    parser.add_argument("--think-max", type=float, default=2.0)
    args = parser.parse_args()
    TODAY = args.today
    status = 0
    if args.engine in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="dondoc-load-") as tmp:
            status |= run_engine("SQLite", f"sqlite:///{tmp}/load.sqlite3", Path(tmp), Path(tmp), args)
    if args.engine in ("postgresql", "both"):
        if shutil.which("pg_ctl") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
            print("SKIPPED PostgreSQL: server binaries not installed (apt-get install postgresql)")
        else:
            status |= in_postgres(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
