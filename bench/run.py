"""`make bench`: national scale (200,000 cases) on SQLite, and on PostgreSQL when DATABASE_URL is set.

For each database: a fresh database, `flask db upgrade`, `flask seed synthetic`, ANALYZE; then the app is served by
gunicorn (2 workers) on a free loopback port and measured over real HTTP with a logged-in session:

* p50/p95 of sequential requests: the coordinator dashboard (and the leerplicht and inspectie dashboards), the
  filtered case list (page 1 and a deep page), the case page, the search box (coordinator and leerplicht:
  parts of names without accents, references, BSNs), and the werkvoorraad (the page /mijn-werk as coordinator and
  as leerplicht, and GET /api/v1/worklist as the coordinator);
* throughput with 20 concurrent clients for a bounded time: the case list against /healthz (a minimal route);
* the other benchmarks (bench_sweep.py, bench_export.py, bench_pdf.py) when they exist: each is run as a script
  with DATABASE_URL pointing at the seeded database and must print one JSON object on stdout. A missing script is
  recorded as "not available", never as a number.

Results go to bench/results.json and a table in bench/README.md (between the RESULTS markers).

    .venv/bin/python bench/run.py [--cases 200000] [--seed 2026] [--only sqlite|postgresql] [--reuse]
                                  [--search-only | --worklist-only]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from timing import percentile  # bench/ is on the path: run as a script

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = ROOT / "instance" / "bench"  # the SQLite database and server logs (git-ignored)
PYTHON = sys.executable
BIN = Path(PYTHON).parent
TODAY = "2026-11-02"  # pinned, so a seed gives the same data and the same pages on every run
PASSWORD = "bench-Thuiszitters-2026"  # noqa: S105 - synthetic bench users (thuiszitters.seed.synthetic)
COORDINATOR = "coordinator@bench.thuiszitters.nl"
LEERPLICHT = "leerplicht@bench.thuiszitters.nl"
INSPECTIE = "inspectie@bench.thuiszitters.nl"
TARGETS_MS = {"dashboard": 50.0, "case_list_page1": 50.0, "case_list_deep": 50.0, "case_page": 30.0,
              "search": 50.0, "search_leerplicht": 50.0,
              "worklist": 50.0, "worklist_leerplicht": 50.0, "worklist_api": 50.0}
SEARCH_PATH = "/casussen/zoeken"
WORKLIST_PATH = "/mijn-werk"
WORKLIST_API_PATH = "/api/v1/worklist"
# The rows of the partial runs' tables in bench/README.md (--search-only, --worklist-only): key and label.
SEARCH_ROWS = (("search", "search box, coordinator"), ("search_leerplicht", "search box, leerplicht"))
WORKLIST_ROWS = (("worklist", "werkvoorraad page, coordinator"),
                 ("worklist_leerplicht", "werkvoorraad page, leerplicht"),
                 ("worklist_api", "GET /api/v1/worklist, coordinator"))
# Typed as a user would: part of a name in lower case without its accents (Öztürk, Yılmaz, Łukasz, Zoë), a first
# and a last name together, a word found nowhere; sample_search_terms adds a whole reference, the start of one and
# an exact BSN from the user's scope.
SEARCH_WORDS = ["ozturk", "yilm", "lukasz", "zoe de", "jans", "van der m", "bakker sem", "amra", "xylofoon"]
THROUGHPUT_TARGET = 1 / 8
# Requests before the measured ones, per page: a server runs for days, so the bench measures its steady state.
# A fresh gunicorn worker first compiles its templates and SQL, psycopg prepares a statement on its fifth use on a
# connection, and PostgreSQL settles on a generic plan after five more: with 2 workers the first 15-20 requests of
# a page took up to three times as long (127, 110, 74, 74, 54 ... ms, then about 42 ms for the werkvoorraad).
WARMUP = 20
OTHER_BENCHMARKS = {"sweep": "bench_sweep.py", "export": "bench_export.py", "pdf": "bench_pdf.py",
                    "pdf_end_to_end": "bench_summary.py"}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- HTTP ------------------------------------------------------------------------------------------------------


@dataclass
class Session:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    bearer: str | None = None  # an API token: sent as Authorization instead of the session cookie

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict[str, str]]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if self.bearer:
            headers = {"Authorization": f"Bearer {self.bearer}"}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text, dict(response.getheaders())

    def login(self, email: str) -> None:
        _, page, _ = self.request("GET", "/login")
        token = CSRF_RE.search(page)
        if not token:
            raise RuntimeError("login page without CSRF token")
        status, _, headers = self.request("POST", "/login", {"email": email, "password": PASSWORD,
                                                            "csrf_token": token.group(1)})
        if status != 302 or "/login" in headers.get("Location", ""):
            raise RuntimeError(f"login failed for {email}: {status}")



def measure(session: Session, paths: list[str], runs: int, warmup: int = WARMUP) -> dict:
    for index in range(warmup):
        session.request("GET", paths[index % len(paths)])
    timings = []
    statuses = set()
    for index in range(runs):
        started = time.perf_counter()
        status, _, _ = session.request("GET", paths[index % len(paths)])
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
    timings.sort()
    return {"path": paths[0] if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1} more)", "runs": runs,
            "statuses": sorted(statuses), "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1), "max_ms": round(timings[-1], 1)}


def measure_search(session: Session, queries: list[str], runs: int, warmup: int = WARMUP) -> dict:
    """Like `measure`, for the search box: each request posts one of `queries` (rotating) with the CSRF token of
    the session, as the form in the page header does."""
    _, page, _ = session.request("GET", SEARCH_PATH)
    token = CSRF_RE.search(page)
    if not token:
        raise RuntimeError("search page without CSRF token")
    for index in range(warmup):
        session.request("POST", SEARCH_PATH, {"q": queries[index % len(queries)], "csrf_token": token.group(1)})
    timings = []
    statuses = set()
    for index in range(runs):
        body = {"q": queries[index % len(queries)], "csrf_token": token.group(1)}
        started = time.perf_counter()
        status, _, _ = session.request("POST", SEARCH_PATH, body)
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
    timings.sort()
    return {"path": f"POST {SEARCH_PATH} ({len(queries)} queries)", "runs": runs, "statuses": sorted(statuses),
            "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(timings[-1], 1)}


def measure_worklist(coordinator: Session, leerplicht: Session, api: Session, runs: int) -> dict:
    """The werkvoorraad with its default day (today + 7): the page of the busiest swv's coordinator and of the
    leerplicht user, and the API as the coordinator (a token of its own)."""
    return {
        "worklist": measure(coordinator, [WORKLIST_PATH], runs),
        "worklist_leerplicht": measure(leerplicht, [WORKLIST_PATH], runs),
        "worklist_api": measure(api, [WORKLIST_API_PATH], runs),
    }


def _load_worker(args: tuple[str, int, dict[str, str], str, float, int]) -> tuple[int, int]:
    """One client process: ``threads`` threads requesting ``path`` in a loop until the deadline."""
    host, port, cookies, path, seconds, threads = args
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    ok = [0] * threads
    failed = [0] * threads
    start_at = time.monotonic() + 0.5
    deadline = start_at + seconds

    def loop(slot: int) -> None:
        while time.monotonic() < start_at:
            time.sleep(0.001)
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", path, headers=header)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    ok[slot] += 1
                else:
                    failed[slot] += 1
            except OSError:
                failed[slot] += 1

    workers = [threading.Thread(target=loop, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(ok), sum(failed)


def throughput(session: Session, path: str, seconds: float, clients: int = 20, processes: int = 4) -> dict:
    per_process = clients // processes
    jobs = [(session.host, session.port, dict(session.cookies), path, seconds, per_process)] * processes
    with ProcessPoolExecutor(processes) as pool:
        results = list(pool.map(_load_worker, jobs))
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    return {"path": path, "clients": clients, "seconds": seconds, "ok": ok, "failed": failed,
            "requests_per_second": round(ok / seconds, 1)}


# --- Databases and the server ----------------------------------------------------------------------------------


def flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fresh_postgresql(base_url: str, name: str) -> str:
    """A new, empty database next to the one DATABASE_URL names (which is left alone)."""
    import psycopg

    parts = urlsplit(base_url)
    admin = parts._replace(path="/postgres").geturl().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def analyze(url: str) -> None:
    """Planner statistics, as a maintained production database has (autovacuum / PRAGMA optimize)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("ANALYZE")
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int | None = None) -> tuple[subprocess.Popen, int]:
    port = port or free_port()
    log = open(WORK / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--timeout", "120", "app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 503):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start; see {log.name}")


def sample_ids(env: dict[str, str], count: int = 100) -> dict:
    """Case ids in the bench coordinator's scope and the size of its closed list, read through the app."""
    code = (
        "import json\n"
        "from sqlalchemy import func, select\n"
        "from thuiszitters import create_app\n"
        "from thuiszitters.accounts.models import User\n"
        "from thuiszitters.cases.scope import visible_cases\n"
        "from thuiszitters.cases.models import Case\n"
        "from thuiszitters.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    user = db.session.scalar(select(User).where(User.email == {COORDINATOR!r}))\n"
        "    q = visible_cases(user)\n"
        "    total = db.session.scalar(select(func.count()).select_from(q.subquery()))\n"
        "    closed_q = q.where(Case.status == 'closed').subquery()\n"
        "    closed = db.session.scalar(select(func.count()).select_from(closed_q))\n"
        f"    ids = db.session.scalars(q.with_only_columns(Case.id).order_by(Case.id).limit({count} * 50)).all()\n"
        f"    print(json.dumps({{'total': total, 'closed': closed, 'ids': ids[::50][:{count}]}}))\n"
    )
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def sample_search_terms(env: dict[str, str], email: str) -> list[str]:
    """What the bench searches for as this user: SEARCH_WORDS, and from its scope a whole reference, the start of
    one and the BSN of a pupil (read through the app's own scope)."""
    code = (
        "import json\n"
        "from sqlalchemy import select\n"
        "from thuiszitters import create_app\n"
        "from thuiszitters.accounts.models import User\n"
        "from thuiszitters.cases.scope import visible_cases\n"
        "from thuiszitters.cases.models import Case, Pupil\n"
        "from thuiszitters.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    user = db.session.scalar(select(User).where(User.email == {email!r}))\n"
        "    q = visible_cases(user)\n"
        "    refs = db.session.scalars(q.with_only_columns(Case.reference).order_by(Case.id.desc()).limit(1)).all()\n"
        "    bsns = db.session.scalars(q.join(Pupil, Pupil.id == Case.pupil_id).where(Pupil.bsn.is_not(None))\n"
        "                              .with_only_columns(Pupil.bsn).order_by(Case.id).limit(1)).all()\n"
        "    print(json.dumps({'references': refs, 'bsns': bsns}))\n"
    )
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    terms = list(SEARCH_WORDS)
    for reference in facts["references"]:
        terms += [reference, reference[:10].lower()]
    terms += facts["bsns"]
    return terms


def _last_json_object(text: str) -> dict | None:
    """The last JSON object printed (a script may print progress or a child's result first)."""
    decoder = json.JSONDecoder()
    starts = [m.start() for m in re.finditer(r"^\{", text, re.M)]
    for start in reversed(starts):
        try:
            value, _ = decoder.raw_decode(text[start:])
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None


def run_other(script: str, env: dict[str, str]) -> dict:
    path = BENCH / script
    if not path.exists():
        return {"status": "not available"}
    started = time.perf_counter()
    result = subprocess.run([PYTHON, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, check=False,
                            timeout=1800)
    elapsed = round(time.perf_counter() - started, 1)
    data = _last_json_object(result.stdout)
    if data is None:
        return {"status": "failed", "exit_code": result.returncode, "seconds": elapsed,
                "stderr_tail": result.stderr[-800:]}
    return {"status": "ok" if result.returncode == 0 else "over budget or failed", "exit_code": result.returncode,
            "seconds": elapsed, "result": data}


# --- One backend -----------------------------------------------------------------------------------------------


def bench_backend(name: str, url: str, args: argparse.Namespace) -> dict:
    env = dict(os.environ, DATABASE_URL=url, THUISZITTERS_FIXED_TODAY=TODAY, THUISZITTERS_ENV="development",
               PYTHONPATH=str(ROOT))
    out: dict = {"database": name}
    print(f"[{name}] {url}", flush=True)
    if not args.reuse:
        started = time.perf_counter()
        flask(env, "db", "upgrade")
        print(flask(env, "seed", "synthetic", "--cases", str(args.cases), "--seed", str(args.seed)).strip(),
              flush=True)
        out["seed_seconds"] = round(time.perf_counter() - started, 1)
        analyze(url)
    facts = sample_ids(env)
    out["cases_total"] = args.cases
    out["coordinator_scope_cases"] = facts["total"]
    server, port = start_server(env, args.port)
    try:
        coordinator, leerplicht, inspectie = (Session("127.0.0.1", port) for _ in range(3))
        coordinator.login(COORDINATOR)
        leerplicht.login(LEERPLICHT)
        inspectie.login(INSPECTIE)
        deep_page = max(1, int(facts["closed"] / 25 * 0.9))
        runs = args.runs
        if args.worklist_only:
            api = Session("127.0.0.1", port, bearer=flask(env, "users", "token", COORDINATOR).strip().splitlines()[-1])
            worklists = measure_worklist(coordinator, leerplicht, api, runs)
            out["pages"] = worklists
            out["load_average_1m"] = round(os.getloadavg()[0], 2)
            out["targets"] = {key: {"p95_ms": p["p95_ms"], "target_ms": TARGETS_MS[key],
                                    "met": p["p95_ms"] <= TARGETS_MS[key] and p["statuses"] == [200]}
                              for key, p in worklists.items()}
            print(json.dumps(worklists, indent=1), flush=True)
            return out
        searches = {
            "search": measure_search(coordinator, sample_search_terms(env, COORDINATOR), runs),
            "search_leerplicht": measure_search(leerplicht, sample_search_terms(env, LEERPLICHT), runs),
        }
        if args.search_only:
            out["pages"] = searches
            out["load_average_1m"] = round(os.getloadavg()[0], 2)
            out["targets"] = {key: {"p95_ms": p["p95_ms"], "target_ms": TARGETS_MS[key],
                                    "met": p["p95_ms"] <= TARGETS_MS[key] and p["statuses"] == [200]}
                              for key, p in searches.items()}
            print(json.dumps(searches, indent=1), flush=True)
            return out
        api = Session("127.0.0.1", port, bearer=flask(env, "users", "token", COORDINATOR).strip().splitlines()[-1])
        pages = {
            **searches,
            **measure_worklist(coordinator, leerplicht, api, runs),
            "dashboard": measure(coordinator, ["/dashboard"], runs),
            "dashboard_leerplicht": measure(leerplicht, ["/dashboard/leerplicht"], runs),
            "dashboard_inspectie": measure(inspectie, ["/dashboard/inspectie"], runs),
            "case_list_page1": measure(coordinator, ["/casussen?status=open&overdue=ja"], runs),
            "case_list_deep": measure(coordinator, [f"/casussen?status=closed&page={deep_page}"], runs),
            "case_page": measure(coordinator, [f"/casussen/{case_id}" for case_id in facts["ids"]], runs),
        }
        out["pages"] = pages
        print(json.dumps(pages, indent=1), flush=True)
        case_list = throughput(coordinator, "/casussen?status=open", args.seconds)
        minimal = throughput(Session("127.0.0.1", port), "/healthz", args.seconds)
        ratio = case_list["requests_per_second"] / minimal["requests_per_second"] if minimal["ok"] else 0
        out["throughput"] = {"case_list": case_list, "minimal_route": minimal, "ratio": round(ratio, 3)}
        print(json.dumps(out["throughput"], indent=1), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    out["targets"] = {key: {"p95_ms": pages[key]["p95_ms"], "target_ms": target,
                            "met": pages[key]["p95_ms"] <= target and pages[key]["statuses"] == [200]}
                      for key, target in TARGETS_MS.items()}
    out["targets"]["throughput_ratio"] = {"ratio": out["throughput"]["ratio"], "target": THROUGHPUT_TARGET,
                                          "met": out["throughput"]["ratio"] >= THROUGHPUT_TARGET}
    out["other"] = {key: run_other(script, env) for key, script in OTHER_BENCHMARKS.items()}
    return out


# --- Report ----------------------------------------------------------------------------------------------------


def readme_table(results: dict) -> str:
    backends = results["backends"]
    names = list(backends)
    lines = ["| measurement | target | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]

    def row(label: str, target: str, cell) -> None:
        lines.append(f"| {label} | {target} | " + " | ".join(cell(backends[n]) for n in names) + " |")

    def page(key: str):
        def cell(b: dict) -> str:
            p = b["pages"][key]
            mark = ""
            if key in TARGETS_MS:
                mark = " ✅" if b["targets"][key]["met"] else " ❌"
            return f"p50 {p['p50_ms']} / p95 {p['p95_ms']} ms{mark}"
        return cell

    row("coordinator dashboard", "p95 ≤ 50 ms", page("dashboard"))
    row("leerplicht dashboard", "—", page("dashboard_leerplicht"))
    row("inspectie dashboard (national)", "—", page("dashboard_inspectie"))
    row("case list, filtered, page 1", "p95 ≤ 50 ms", page("case_list_page1"))
    row("case list, deep page", "p95 ≤ 50 ms", page("case_list_deep"))
    row("case page", "p95 ≤ 30 ms", page("case_page"))
    row("search box, coordinator", "p95 ≤ 50 ms", page("search"))
    row("search box, leerplicht", "p95 ≤ 50 ms", page("search_leerplicht"))
    for key, label in WORKLIST_ROWS:
        row(label, "p95 ≤ 50 ms", page(key))

    def tp(b: dict) -> str:
        t = b["throughput"]
        mark = " ✅" if b["targets"]["throughput_ratio"]["met"] else " ❌"
        return (f"{t['case_list']['requests_per_second']} vs {t['minimal_route']['requests_per_second']} req/s "
                f"= {t['ratio']}{mark}")

    row("case list vs /healthz, 20 clients", "≥ 0.125", tp)
    for key in OTHER_BENCHMARKS:
        def other(b: dict, key: str = key) -> str:
            o = b["other"][key]
            if o["status"] == "not available":
                return "not available"
            if "result" not in o:
                return f"failed (exit {o['exit_code']})"
            # One level of nesting is flattened ("nothing_due p95_ms 152.1"), so the sweep's phases show too.
            flat: dict[str, object] = {}
            for k, v in o["result"].items():
                if isinstance(v, dict):
                    flat.update({f"{k} {sub}": subv for sub, subv in v.items() if not isinstance(subv, dict)})
                else:
                    flat[k] = v
            summary = ", ".join(f"{k} {v}" for k, v in flat.items()
                                if k.endswith(("_ms", "_s", "_mb", "seconds")) or k == "ok")
            return summary or o["status"]
        row(f"{key} ({OTHER_BENCHMARKS[key]})", "its own", other)
    for name in names:
        b = backends[name]
        if "seed_seconds" in b:
            lines.append("")
            lines.append(f"{name}: seeding {b['cases_total']} cases took {b['seed_seconds']} s; the bench "
                         f"coordinator's scope holds {b['coordinator_scope_cases']} cases.")
    return "\n".join(lines)


def write_readme(results: dict) -> None:
    path = BENCH / "README.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    table = (f"<!-- RESULTS:START -->\nLast run: {results['finished_at']} on {results['machine']['cpus']} cores, "
             f"Python {results['machine']['python']}, {results['cases']} cases (seed {results['seed']}, "
             f"today {TODAY}).\n\n{readme_table(results)}\n<!-- RESULTS:END -->")
    if "<!-- RESULTS:START -->" in text:
        text = re.sub(r"<!-- RESULTS:START -->.*<!-- RESULTS:END -->", lambda _m: table, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + table + "\n"
    path.write_text(text, encoding="utf-8")


def write_partial_readme(results: dict, marker: str, what: str, rows: tuple[tuple[str, str], ...]) -> None:
    """The table of a `--search-only` or `--worklist-only` run, between its markers in bench/README.md."""
    backends = results["backends"]
    lines = ["| measurement | target | " + " | ".join(backends) + " |", "|---|---|" + "---|" * len(backends)]
    for key, label in rows:
        cells = []
        for b in backends.values():
            p = b["pages"][key]
            cells.append(f"p50 {p['p50_ms']} / p95 {p['p95_ms']} ms {'✅' if b['targets'][key]['met'] else '❌'}")
        lines.append(f"| {label} | p95 ≤ 50 ms | " + " | ".join(cells) + " |")
    loads = ", ".join(f"{name} {b.get('load_average_1m')}" for name, b in backends.items())
    start, end = f"<!-- {marker}:START -->", f"<!-- {marker}:END -->"
    table = (f"{start}\nLast {what}-only run: {results['finished_at']} on {results['machine']['cpus']} "
             f"cores, {results['cases']} cases (seed {results['seed']}); 1-minute load average at the end: {loads}."
             f"\n\n" + "\n".join(lines) + f"\n{end}")
    path = BENCH / "README.md"
    text = path.read_text(encoding="utf-8")
    if start in text:
        text = re.sub(f"{re.escape(start)}.*{re.escape(end)}", lambda _m: table, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + table + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=100, help="sequential requests per page")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each throughput run")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--reuse", action="store_true", help="measure the databases of the previous run, no seeding")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--search-only", action="store_true",
                      help="measure only the search box; results to bench/results-search.json and its own table")
    only.add_argument("--worklist-only", action="store_true",
                      help="measure only the werkvoorraad; results to bench/results-worklist.json and its own table")
    parser.add_argument("--port", type=int, default=None,
                        help="the loopback port for gunicorn (default: a free one), on a machine shared by several")
    parser.add_argument("--pg-database", default="thuiszitters_bench",
                        help="name of the PostgreSQL database to (re)create next to DATABASE_URL's")
    args = parser.parse_args(argv)

    targets: dict[str, str] = {}
    if args.only in (None, "sqlite"):
        WORK.mkdir(parents=True, exist_ok=True)
        sqlite_path = WORK / "bench.db"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        targets["sqlite"] = f"sqlite:///{sqlite_path}"
    pg_url = os.environ.get("DATABASE_URL", "")
    if args.only in (None, "postgresql") and pg_url.startswith("postgres"):
        targets["postgresql"] = (urlsplit(pg_url)._replace(path=f"/{args.pg_database}").geturl() if args.reuse
                                 else fresh_postgresql(pg_url, args.pg_database))

    results = {
        "cases": args.cases, "seed": args.seed, "today": TODAY,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "sqlite": sqlite3.sqlite_version},
        "targets": {**{k: f"p95 <= {v} ms" for k, v in TARGETS_MS.items()},
                    "throughput_ratio": f">= {THROUGHPUT_TARGET}"},
        "backends": {name: bench_backend(name, url, args) for name, url in targets.items()},
    }
    results["finished_at"] = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    partial = "search" if args.search_only else "worklist" if args.worklist_only else None
    name = f"results-{partial}.json" if partial else "results.json"
    if partial and (BENCH / name).exists():
        # One database at a time (--only): keep the other database's last numbers beside the new ones.
        earlier = json.loads((BENCH / name).read_text(encoding="utf-8"))
        results["backends"] = {**earlier.get("backends", {}), **results["backends"]}
    (BENCH / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.search_only:
        write_partial_readme(results, "SEARCH", "search", SEARCH_ROWS)
    elif args.worklist_only:
        write_partial_readme(results, "WORKLIST", "worklist", WORKLIST_ROWS)
    else:
        write_readme(results)
    met = all(t["met"] for b in results["backends"].values() for t in b["targets"].values())
    print(f"written bench/{name} and bench/README.md; all targets met: {met}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
