"""Page benchmark: each main page, as the province administrator and as an agency officer, at `demo` and `large`
scale, on SQLite and PostgreSQL — median and p95 of N requests, the query count, the growth (large ÷ demo) and the
ratio to a hand-written SQL floor for the same numbers, timed in the same run.

For each engine and scale it prepares a database (`dondoc migrate`, `dondoc load_demo`, and for `large`/`xlarge`
`dondoc generate --scale S --seed 1` — exactly what a user runs), then starts a measuring child process with DEBUG
off and today pinned to 05/10/2020. The child requests every page through Django's full stack (middleware, session,
templates; `django.test.Client`, logged in with `force_login`), one warm-up request then N timed ones, counts the
queries of one request, and times the floor N times: hand-written SQL (a cursor, no ORM, no template) fetching the
figures and the rows the page shows — its counts and the first 50 rows of a list, the sums of a figures page.

A page the persona may not open (404/403) is listed as such and not timed. Nothing here asserts a time: the suite
prints; docs/benchmarks.md keeps the last figures with the machine and date.

Usage: .venv/bin/python scripts/bench_pages.py [--engine sqlite|postgresql|both] [--scales demo,large]
                                               [--requests 20] [--keep DIR] [--markdown FILE]
`--keep DIR` keeps (and reuses) the prepared SQLite homes in DIR, and a dump of each prepared PostgreSQL database
(`postgresql-SCALE.dump`, restored into the next run's throwaway cluster): generating `large` takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TODAY = "2020-10-05"
TARGET_MEDIAN_MS, TARGET_P95_MS = 300, 500


# --- the measuring child ---------------------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def _timed(func, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        out.append((time.perf_counter() - start) * 1000)
    return out


def child(requests: int) -> None:  # noqa: C901 - one flat list of pages and their floors
    import datetime as dt

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dondoc import access
    from dondoc.accounts.models import Agency
    from dondoc.deadlines.models import Dossier
    from dondoc.investment.models import Investor, Project
    from dondoc.petitions.models import Petition
    from dondoc.programs.models import Assignment
    from dondoc.reporting.models import Report

    as_of = dt.date.fromisoformat(TODAY)
    users = get_user_model().objects
    # The agency officer: of the agencies that have an officer account and are an investor, the one with the most
    # assignments (so that every kind of page has something of theirs to show).
    codes = {u.lower() for u in users.values_list("username", flat=True)}
    investors = set(Investor.objects.exclude(agency=None).values_list("agency__code", flat=True))
    counted = (Assignment.objects.values("agency__code").annotate(n=django.db.models.Count("id")).order_by("-n"))
    candidates = [r["agency__code"] for r in counted if r["agency__code"].lower() in codes]
    officer_code = next((c for c in candidates if c in investors), candidates[0])
    officer_agency = Agency.objects.get(code=officer_code)
    personas = {"admin": users.get(username="admin"), "officer": users.get(username=officer_code.lower())}
    year = as_of.year

    def first(user, model, field="id", **filters):
        return access.scope(user, model.objects.filter(**filters)).order_by("id").values_list(field, flat=True).first()

    def targets(user) -> dict:
        project = access.scope(user, Project.objects.all()).order_by("id").first()
        return {
            "task": first(user, Assignment, "task_id", agency=officer_agency) or first(user, Assignment, "task_id"),
            "dossier": first(user, Dossier), "petition": first(user, Petition), "project": project,
            "report": first(user, Report, agency=officer_agency),
        }

    def q(sql: str, params=()):
        with connection.cursor() as c:
            c.execute(sql, params)
            return c.fetchall()

    latest_versions = ("SELECT v.id FROM programs_programversion v WHERE v.number = "
                       "(SELECT MAX(w.number) FROM programs_programversion w WHERE w.program_id = v.program_id)")
    bucket = ("CASE WHEN a.completed_on IS NOT NULL AND a.completed_on <= %s THEN "
              "(CASE WHEN a.deadline IS NOT NULL AND a.completed_on > a.deadline THEN 'late' ELSE 'on_time' END) "
              "WHEN a.deadline IS NULL THEN 'regular' WHEN a.deadline < %s THEN 'overdue' ELSE 'open' END")

    def agency_filter(alias: str, agency) -> tuple[str, tuple]:
        return (f" AND {alias}.agency_id = %s", (agency.id,)) if agency else ("", ())

    def floor_tasks(agency, status=None):
        extra, params = ("", ())
        if agency:
            extra, params = (" AND EXISTS (SELECT 1 FROM programs_assignment m WHERE m.task_id = t.id AND "
                             "m.agency_id = %s)", (agency.id,))
        if status:
            extra += (f" AND EXISTS (SELECT 1 FROM programs_assignment a WHERE a.task_id = t.id AND a.role = 'lead' "
                      f"AND {bucket} = %s)")
            params += (as_of, as_of, status)
        where = f"t.version_id IN ({latest_versions}){extra}"
        q(f"SELECT COUNT(*) FROM programs_task t WHERE {where}", params)
        rows = q(f"SELECT t.id, t.section, t.item, t.text, t.deadline FROM programs_task t WHERE {where} "
                 "ORDER BY t.version_id, t.position LIMIT 50", params)
        ids = [r[0] for r in rows] or [0]
        q(f"SELECT a.task_id, g.name, a.role, {bucket} FROM programs_assignment a JOIN accounts_agency g "
          f"ON g.id = a.agency_id WHERE a.task_id IN ({','.join('%s' for _ in ids)})", (as_of, as_of, *ids))
        q(f"SELECT {bucket} b, COUNT(*) FROM programs_assignment a JOIN programs_task t ON t.id = a.task_id "
          f"WHERE a.role = 'lead' AND t.version_id IN ({latest_versions}) GROUP BY b", (as_of, as_of))

    def floor_task_page(_agency):
        q("SELECT t.id, t.text, t.deadline, v.number, p.title FROM programs_task t JOIN programs_programversion v "
          "ON v.id = t.version_id JOIN programs_actionprogram p ON p.id = v.program_id WHERE t.id = %s", (T['task'],))
        q(f"SELECT a.id, g.name, a.role, {bucket} FROM programs_assignment a JOIN accounts_agency g "
          "ON g.id = a.agency_id WHERE a.task_id = %s", (as_of, as_of, T['task']))
        q("SELECT u.assignment_id, u.text, u.reported_on FROM programs_taskupdate u JOIN programs_assignment a "
          "ON a.id = u.assignment_id WHERE a.task_id = %s ORDER BY u.reported_on DESC", (T['task'],))

    def floor_dossiers(agency, overdue=False):
        extra, params = agency_filter("d", agency)
        if overdue:
            extra += " AND d.completed_on IS NULL"
        where = f"d.received_on <= %s{extra}"
        q(f"SELECT COUNT(*) FROM deadlines_dossier d WHERE {where}", (as_of, *params))
        q(f"SELECT d.id, d.reference, d.subject, d.received_on, d.completed_on, ty.name, g.name "
          f"FROM deadlines_dossier d JOIN deadlines_dossiertype ty ON ty.id = d.type_id JOIN accounts_agency g "
          f"ON g.id = d.agency_id WHERE {where} ORDER BY d.received_on DESC, d.id DESC LIMIT 50", (as_of, *params))

    def floor_dossier_page(_agency):
        q("SELECT d.*, ty.name FROM deadlines_dossier d JOIN deadlines_dossiertype ty ON ty.id = d.type_id "
          "WHERE d.id = %s", (T['dossier'],))
        q("SELECT paused_on, resumed_on FROM deadlines_dossierpause WHERE dossier_id = %s", (T['dossier'],))

    def floor_petitions(agency):
        extra, params = ("", ())
        if agency:
            extra, params = (" AND EXISTS (SELECT 1 FROM petitions_routing r WHERE r.petition_id = p.id)", ())
        q(f"SELECT p.state, COUNT(*) FROM petitions_petition p WHERE p.received_on <= %s{extra} GROUP BY p.state",
          (as_of, *params))
        q(f"SELECT p.id, p.reference, p.subject, p.received_on, p.due_on, p.state FROM petitions_petition p "
          f"WHERE p.received_on <= %s{extra} ORDER BY p.received_on DESC, p.id DESC LIMIT 50", (as_of, *params))

    def floor_petition_page(_agency):
        q("SELECT * FROM petitions_petition WHERE id = %s", (T['petition'],))
        q("SELECT * FROM petitions_routing WHERE petition_id = %s", (T['petition'],))
        q("SELECT * FROM petitions_update WHERE petition_id = %s", (T['petition'],))

    def disbursed(where: str, params: tuple):
        return q("SELECT p.investor_id, SUM(d.amount) FROM investment_disbursement d JOIN investment_project p "
                 f"ON p.id = d.project_id WHERE d.year = %s AND d.paid_on <= %s{where} GROUP BY p.investor_id",
                 (year, as_of, *params))

    def planned(where: str, params: tuple):
        return q("SELECT p.investor_id, SUM(l.amount) FROM investment_planline l JOIN investment_project p "
                 f"ON p.id = l.project_id WHERE l.year = %s{where} GROUP BY p.investor_id", (year, *params))

    def floor_investment(agency):
        extra, params = ("", ())
        if agency:
            extra, params = (" AND p.investor_id IN (SELECT i.id FROM investment_investor i WHERE i.agency_id = %s)",
                             (agency.id,))
        planned(extra, params)
        disbursed(extra, params)
        q("SELECT id, name FROM investment_investor ORDER BY name")

    def floor_investor(_agency):
        planned(" AND p.investor_id = %s", (T['project'].investor_id,))
        disbursed(" AND p.investor_id = %s", (T['project'].investor_id,))
        q("SELECT id, code, name FROM investment_project WHERE investor_id = %s ORDER BY code LIMIT 50",
          (T['project'].investor_id,))

    def floor_projects(_agency):
        q("SELECT COUNT(*) FROM investment_project")
        rows = q("SELECT id, code, name FROM investment_project ORDER BY code LIMIT 50")
        ids = [r[0] for r in rows] or [0]
        marks = ",".join("%s" for _ in ids)
        q(f"SELECT project_id, SUM(amount) FROM investment_planline WHERE year = %s AND project_id IN ({marks}) "
          "GROUP BY project_id", (year, *ids))
        q(f"SELECT project_id, SUM(amount) FROM investment_disbursement WHERE year = %s AND paid_on <= %s AND "
          f"project_id IN ({marks}) GROUP BY project_id", (year, as_of, *ids))

    def floor_project(_agency):
        q("SELECT * FROM investment_project WHERE id = %s", (T['project'].id,))
        q("SELECT * FROM investment_planline WHERE project_id = %s AND year = %s", (T['project'].id, year))
        q("SELECT SUM(amount) FROM investment_disbursement WHERE project_id = %s AND year = %s AND paid_on <= %s",
          (T['project'].id, year, as_of))
        q("SELECT paid_on, amount, ref FROM investment_disbursement WHERE project_id = %s ORDER BY paid_on DESC "
          "LIMIT 50", (T['project'].id,))

    def floor_reallocation(_agency):
        q("SELECT pr.id, pr.year, pr.state, COUNT(t.id) FROM investment_proposal pr LEFT JOIN "
          "investment_proposedtransfer t ON t.proposal_id = pr.id GROUP BY pr.id, pr.year, pr.state "
          "ORDER BY pr.id DESC LIMIT 50")

    def floor_reports(agency):
        extra, params = agency_filter("r", agency)
        since = dt.date(as_of.year, 1, 1)
        q(f"SELECT r.agency_id, r.period, r.state FROM reporting_report r WHERE r.period >= %s{extra}",
          (since, *params))
        q("SELECT id, name FROM accounts_agency ORDER BY code")

    def floor_report_page(_agency):
        q("SELECT * FROM reporting_report WHERE id = %s", (T['report'],))
        q("SELECT number, submitted_at FROM reporting_reportversion WHERE report_id = %s", (T['report'],))
        q("SELECT t.id, t.section, t.item, t.text FROM programs_task t JOIN programs_assignment a ON a.task_id = t.id "
          f"WHERE a.agency_id = %s AND t.version_id IN ({latest_versions})", (officer_agency.id,))

    def floor_audit(_agency):
        q("SELECT id, at, actor_name, kind, target_repr FROM core_auditevent ORDER BY at DESC, id DESC LIMIT 50")

    def floor_agencies(_agency):
        q("SELECT COUNT(*) FROM accounts_agency")
        q("SELECT id, code, name, kind FROM accounts_agency ORDER BY code LIMIT 50")

    def floor_home(agency):
        q("SELECT COUNT(*) FROM accounts_agency")
        q("SELECT COUNT(*) FROM auth_user WHERE is_active")
        extra, params = agency_filter("a", agency)
        q(f"SELECT {bucket} b, COUNT(*) FROM programs_assignment a JOIN programs_task t ON t.id = a.task_id "
          f"WHERE t.version_id IN ({latest_versions}){extra} GROUP BY b", (as_of, as_of, *params))
        extra, params = agency_filter("d", agency)
        q(f"SELECT d.agency_id, COUNT(*) FROM deadlines_dossier d WHERE d.completed_on IS NULL AND "
          f"d.received_on <= %s{extra} GROUP BY d.agency_id", (as_of, *params))
        extra, params = agency_filter("r", agency)
        q(f"SELECT r.state, COUNT(*) FROM reporting_report r WHERE r.period = %s{extra} GROUP BY r.state",
          (as_of.replace(day=1), *params))
        q("SELECT state, COUNT(*) FROM petitions_petition WHERE received_on <= %s GROUP BY state", (as_of,))
        if agency is None:
            q("SELECT SUM(amount) FROM investment_planline WHERE year = %s", (year,))
            q("SELECT SUM(amount) FROM investment_disbursement WHERE year = %s AND paid_on <= %s", (year, as_of))

    T: dict = {}

    def pages():
        return [
            ("/", "/", floor_home),
            ("/tasks/", "/tasks/", floor_tasks),
            ("/tasks/?status=overdue", "/tasks/?status=overdue", lambda a: floor_tasks(a, "overdue")),
            ("task page", f"/tasks/{T['task']}/", floor_task_page),
            ("/deadlines/", "/deadlines/", floor_dossiers),
            ("/deadlines/?state=overdue", "/deadlines/?state=overdue", lambda a: floor_dossiers(a, True)),
            ("dossier page", f"/deadlines/{T['dossier']}/", floor_dossier_page),
            ("/reports/", "/reports/", floor_reports),
            ("report page", f"/reports/{T['report']}/", floor_report_page),
            ("/petitions/", "/petitions/", floor_petitions),
            ("petition page", f"/petitions/{T['petition']}/", floor_petition_page),
            ("/investment/", "/investment/", floor_investment),
            ("investor page", f"/investment/investors/{T['project'].investor_id if T['project'] else None}/",
             floor_investor),
            ("/investment/projects/", "/investment/projects/", floor_projects),
            ("project page", f"/investment/projects/{T['project'].code if T['project'] else None}/", floor_project),
            ("/investment/reallocation/", "/investment/reallocation/", floor_reallocation),
            ("/audit/", "/audit/", floor_audit),
            ("/agencies/", "/agencies/", floor_agencies),
        ]
    for persona, user in personas.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        agency = None if persona == "admin" else officer_agency
        T.clear()
        T.update(targets(user))
        for name, url, floor in pages():
            if url.rstrip("/").endswith("None"):
                continue
            answer = client.get(url)
            row = {"persona": persona, "page": name, "url": url, "status": answer.status_code,
                   "officer": officer_code}
            if answer.status_code == 200:
                with CaptureQueriesContext(connection) as ctx:
                    client.get(url)
                times = _timed(lambda u=url, c=client: c.get(u), requests)
                floors = _timed(lambda f=floor, a=agency: f(a), requests)
                row.update(queries=ctx.final_queries - ctx.initial_queries, median=statistics.median(times),
                           p95=pct(times, 95), floor=statistics.median(floors), bytes=len(answer.content))
            print("ROW " + json.dumps(row), flush=True)


# --- the orchestrator ------------------------------------------------------------------------------------------

def run(env: dict, *args: str, log: Path) -> float:
    start = time.perf_counter()
    with log.open("a") as out:
        done = subprocess.run([str(BIN / "dondoc"), *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                              check=False)
    if done.returncode:
        sys.exit(f"{log.read_text()[-3000:]}\ndondoc {' '.join(args)} failed (exit {done.returncode})")
    return time.perf_counter() - start


def base_env(home: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env.update(DATABASE_URL=database_url, DONDOC_HOME=str(home), DONDOC_TODAY=TODAY, DONDOC_INSECURE_HTTP="1",
               DONDOC_SECRET_KEY=secrets.token_urlsafe(50), DONDOC_DEBUG="0", DONDOC_LOG_LEVEL="ERROR")
    return env


def prepare(env: dict, scale: str, home: Path) -> None:
    marker = home / f"prepared-{scale}"
    log = home / "prepare.log"
    if not (home / "var" / "static" / "staticfiles.json").exists():
        run(env, "collectstatic", "--no-input", log=log)
    if marker.exists():
        run(env, "migrate", "--no-input", log=log)  # a kept home gets this checkout's migrations
        print(f"  {scale}: reusing {home}", flush=True)
        return
    took = run(env, "migrate", "--no-input", log=log) + run(env, "load_demo", log=log)
    if scale != "demo":
        took += run(env, "generate", "--scale", scale, "--seed", "1", log=log)
    marker.write_text(str(took))
    print(f"  {scale}: prepared in {took:.0f} s (migrate, load_demo{', generate' if scale != 'demo' else ''})",
          flush=True)


def measure(env: dict, requests: int) -> list[dict]:
    done = subprocess.run([sys.executable, __file__, "--child", "--requests", str(requests), "--today", TODAY],
                          env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{done.stderr[-4000:]}\nthe measuring child failed (exit {done.returncode})")
    return [json.loads(line[4:]) for line in done.stdout.splitlines() if line.startswith("ROW ")]


def fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}".replace(",", ".")


def table(engine: str, results: dict[str, list[dict]], scales: list[str]) -> list[str]:
    """One row per persona and page: each scale's median / p95, the query counts, growth (last ÷ first scale),
    the floor and the ratio at the last scale, and whether `large` (else the last scale) meets the targets."""
    by_scale = {scale: {(r["persona"], r["page"]): r for r in results.get(scale, [])} for scale in scales}
    first, last = scales[0], scales[-1]
    heads = " | ".join(f"{s} median / p95 ms" for s in scales)
    lines = [f"### {engine}", "",
             f"| persona | page | {heads} | queries {' → '.join(scales)} | growth | floor ms | ÷ floor | target |",
             "|---|---|" + "---|" * len(scales) + "---|---|---|---|---|"]
    for r in results.get(last, []):
        key = (r["persona"], r["page"])
        if r["status"] != 200:
            lines.append(f"| {r['persona']} | {r['page']} |" + " — |" * (len(scales) - 1)
                         + f" answers {r['status']} | | | | | |")
            continue
        cells = [by_scale[s].get(key) for s in scales]
        times = " | ".join(f"{fmt(c['median'])} / {fmt(c['p95'])}" if c and c.get("median") else "—" for c in cells)
        queries = " → ".join(str(c.get("queries", "—")) if c else "—" for c in cells)
        b = by_scale[first].get(key)
        growth = r["median"] / b["median"] if b and b.get("median") else None
        ratio = r["median"] / r["floor"] if r["floor"] else None
        t = by_scale["large"].get(key) if "large" in by_scale else r  # the targets are set for `large`
        t_growth = t["median"] / b["median"] if t and t.get("median") and b and b.get("median") else None
        ok = bool(t and t.get("median")) and t["median"] < TARGET_MEDIAN_MS and t["p95"] < TARGET_P95_MS and (
            t_growth is None or t_growth <= 2)
        lines.append(
            f"| {r['persona']} | {r['page']} | {times} | {queries} | {f'{growth:.1f}×' if growth else '—'} "
            f"| {r['floor']:.1f} | {f'{ratio:.0f}×' if ratio else '—'} | {'ok' if ok else 'MISSED'} |")
    return lines


def pg_tool(name: str, *args: str) -> None:
    """pg_dump / pg_restore of the newest installed PostgreSQL (as scripts/with-postgres finds the server)."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    subprocess.run([str(found[-1]) if found else name, *args], check=True)


def run_engine(engine: str, url_for, args, keep: Path | None) -> list[str]:
    print(f"== {engine}", flush=True)
    results = {}
    for scale in args.scales:
        if keep and engine == "SQLite":
            home = keep / f"sqlite-{scale}"
            home.mkdir(parents=True, exist_ok=True)
            holder = None
        else:
            holder = tempfile.TemporaryDirectory(prefix=f"dondoc-pages-{scale}-")
            home = Path(holder.name)
        try:
            env = base_env(home, url_for(scale, home))
            dump = keep / f"postgresql-{scale}.dump" if keep and engine == "PostgreSQL" else None
            if dump and dump.exists():  # a kept PostgreSQL database: restored, then this checkout's migrations
                pg_tool("pg_restore", "--no-owner", "-d", env["DATABASE_URL"], str(dump))
                (home / f"prepared-{scale}").write_text("restored")
            prepare(env, scale, home)
            if dump and not dump.exists():
                pg_tool("pg_dump", "-Fc", "-f", str(dump), env["DATABASE_URL"])
            start = time.perf_counter()
            results[scale] = measure(env, args.requests)
            print(f"  {scale}: measured in {time.perf_counter() - start:.0f} s", flush=True)
        finally:
            if holder:
                holder.cleanup()
    lines = table(engine, results, args.scales)
    print("\n".join(lines), flush=True)
    return lines


def in_postgres(args) -> int:
    if not os.environ.get("BENCH_PAGES_IN_CLUSTER"):
        argv = [str(ROOT / "scripts" / "with-postgres"), sys.executable, __file__, "--engine", "postgresql",
                "--scales", ",".join(args.scales), "--requests", str(args.requests), "--today", args.today]
        if args.markdown:
            argv += ["--markdown", str(args.markdown)]
        if args.keep:
            argv += ["--keep", str(args.keep.resolve())]
        return subprocess.run(argv, env={**os.environ, "BENCH_PAGES_IN_CLUSTER": "1"}, check=False).returncode
    import psycopg

    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]

    def url_for(scale, _home):
        with psycopg.connect(server + "/postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE pages_{scale}")
        return f"{server}/pages_{scale}"

    write(args, run_engine("PostgreSQL", url_for, args, args.keep))
    return 0


def write(args, lines: list[str]) -> None:
    if not args.markdown:
        return
    path = Path(args.markdown)
    header = (f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()} "
              f"({os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}), "
              f"{args.requests} requests a page, today pinned to {TODAY}.")
    with path.open("a") as out:
        out.write("\n".join([header, "", *lines, "", ""]))


def main() -> int:
    global TODAY
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scales", default="demo,large", type=lambda s: s.split(","))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--today", default=TODAY,
                        help=f"the pinned business date, ISO (default {TODAY}, the demo's; the generated history "
                             "runs to 31/12/2025)")
    parser.add_argument("--keep", type=Path, help="keep and reuse the prepared databases in this directory")
    parser.add_argument("--markdown", type=Path, help="append the tables to this Markdown file")
    args = parser.parse_args()
    TODAY = args.today
    if args.child:
        child(args.requests)
        return 0
    status = 0
    if args.engine in ("sqlite", "both"):
        write(args, run_engine("SQLite", lambda scale, home: f"sqlite:///{home}/pages.sqlite3", args, args.keep))
    if args.engine in ("postgresql", "both"):
        if shutil.which("pg_ctl") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
            print("SKIPPED PostgreSQL: server binaries not installed (apt-get install postgresql)")
        else:
            status |= in_postgres(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
