"""Many logged-in users at once: who they are (`prepare`), what they do (`LoadRun`), and what must hold afterwards
(`verify_plan`). Used by `make bench-load` (bench/load.py) and its smoke test (tests/web/test_load_smoke.py).

Every user has a `requests` session in a thread of its own, logs in through `/login` and works until the clock
runs out. The two coordinators of a pair read the same case, wait for each other and both save the same step based
on the version they read (API `If-Match`, or the web form's hidden version): one must win, the other must be
refused (412 or 409), and nothing accepted may be lost.
"""
from __future__ import annotations

import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:  # imported by the smoke test
    sys.path.insert(0, str(BENCH))

from timing import percentile  # noqa: E402 - bench/ is on the path now

PASSWORD = "load-Thuiszitters-2026"  # noqa: S105 - synthetic load-test users only
EMAIL_DOMAIN = "load.thuiszitters.nl"
EXPORT_MONTH = "2026-10"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REQUEST_TIMEOUT = 90  # longer than gunicorn's worker timeout (60 s): a stuck worker shows as its 502/timeout


# --- The plan: users, tokens and the cases they work on -----------------------------------------------------


@dataclass(frozen=True)
class Mix:
    """Who is logged in. Coordinators come in pairs that edit the same case."""

    coordinator_pairs: int = 12
    leerplicht: int = 12
    inspectie: int = 4

    @property
    def users(self) -> int:
        return 2 * self.coordinator_pairs + self.leerplicht + self.inspectie

    @classmethod
    def for_users(cls, users: int) -> Mix:
        """40 users: 12 pairs, 12 leerplicht, 4 inspectie; other counts keep those proportions (at least 1 each)."""
        pairs = max(1, round(users * 12 / 40))
        inspectie = max(1, round(users * 4 / 40))
        leerplicht = max(1, users - 2 * pairs - inspectie)
        return cls(coordinator_pairs=pairs, leerplicht=leerplicht, inspectie=inspectie)


@dataclass
class Contest:
    """A step that the two coordinators of a pair edit at the same time."""

    case_id: int
    step_id: int
    version: int  # the case's version before the run


@dataclass
class Account:
    email: str
    role: str
    token: str
    case_ids: list[int] = field(default_factory=list)
    contest: int | None = None  # index in Plan.contests, shared by the pair


@dataclass
class Plan:
    accounts: list[Account]
    contests: list[Contest]
    export_month: str
    export_files: list[str]
    audit_mark: int  # the last audit event before the run; the run's events come after it


def prepare(mix: Mix, *, password: str = PASSWORD, export_month: str = EXPORT_MONTH, seed: int = 2026) -> Plan:
    """Users with logins and API tokens on the data already in the database, and the month's export. Commits.

    Runs in an app context. Coordinator pairs go to the swv's with the most open cases that have an swv-inzet
    step (the step they will edit), leerplicht users to the gemeenten with the most cases, one each. Users that
    exist from an earlier run are reused (the same scope), their tokens are new.
    """
    from sqlalchemy import func, select

    from thuiszitters.accounts.services import UserInput, create_user, find_user_by_email, issue_token
    from thuiszitters.audit.models import AuditEvent
    from thuiszitters.cases.models import Case, Step
    from thuiszitters.cases.scope import visible_cases
    from thuiszitters.clock import now_utc
    from thuiszitters.exports.services import build_month_export
    from thuiszitters.extensions import db
    from thuiszitters.reference.models import Gemeente, Swv

    rnd = random.Random(seed)
    candidates: dict[str, list[tuple[int, int]]] = defaultdict(list)
    rows = db.session.execute(
        select(Swv.code, Case.id, func.min(Step.id))
        .join(Step, Step.case_id == Case.id).join(Swv, Swv.id == Case.swv_id)
        .where(Case.status == "open", Case.anonymised_at.is_(None), Step.kind == "swv_inzet")
        .group_by(Swv.code, Case.id).order_by(Case.id)
    ).all()
    for swv_code, case_id, step_id in rows:
        candidates[swv_code].append((case_id, step_id))
    ranked = sorted(candidates, key=lambda code: (-len(candidates[code]), code))
    if not ranked:
        raise RuntimeError("no open case with an swv-inzet step to edit: seed data first")
    gemeenten = db.session.execute(
        select(Gemeente.code).join(Case, Case.gemeente_id == Gemeente.id).group_by(Gemeente.code)
        .order_by(func.count().desc(), Gemeente.code).limit(mix.leerplicht)
    ).scalars().all()

    def account(email: str, role: str, swvs: tuple[str, ...] = (), gemeenten_: tuple[str, ...] = ()) -> Account:
        user = find_user_by_email(email)
        if user is None:
            user = create_user(UserInput(email=email, name=email.split("@")[0], role=role, swv_codes=swvs,
                                         gemeente_codes=gemeenten_), password, actor_id=None)
        token = issue_token(user, "load", actor_id=None).token
        case_ids: list[int] = []
        if role in {"coordinator", "leerplicht"}:
            ids = db.session.scalars(visible_cases(user).with_only_columns(Case.id).order_by(Case.id)).all()
            case_ids = sorted(rnd.sample(list(ids), min(200, len(ids))))
        return Account(email=email, role=role, token=token, case_ids=case_ids)

    accounts: list[Account] = []
    contests: list[Contest] = []
    for pair in range(mix.coordinator_pairs):
        swv_code = ranked[pair % len(ranked)]
        case_id, step_id = candidates[swv_code][(pair // len(ranked)) % len(candidates[swv_code])]
        contests.append(Contest(case_id=case_id, step_id=step_id, version=db.session.get(Case, case_id).version))
        for member in ("a", "b"):
            coordinator = account(f"coordinator-{pair + 1:02d}{member}@{EMAIL_DOMAIN}", "coordinator", (swv_code,))
            coordinator.contest = pair
            accounts.append(coordinator)
    for index in range(mix.leerplicht):
        code = gemeenten[index % len(gemeenten)]
        accounts.append(account(f"leerplicht-{index + 1:02d}@{EMAIL_DOMAIN}", "leerplicht", gemeenten_=(code,)))
    for index in range(mix.inspectie):
        accounts.append(account(f"inspectie-{index + 1:02d}@{EMAIL_DOMAIN}", "inspectie"))
    export = build_month_export(export_month, actor_id=None, now=now_utc())
    export_files = [f.name for f in export.files]
    db.session.commit()
    audit_mark = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    db.session.commit()  # end the read transaction: SQLite must not keep a snapshot open during the run
    return Plan(accounts=accounts, contests=contests, export_month=export_month, export_files=export_files,
                audit_mark=audit_mark)


class _FormFields(HTMLParser):
    """The fields a browser would send with the page's POST form: inputs, the selected options, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form or (not a.get("name") and tag != "option"):
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "checkbox", "radio"}:
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in {"checkbox", "radio"} and "checked" in a:
            self.fields[a["name"]] = a.get("value", "y")
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    # A textarea's content starts after the newline that follows its tag (HTML parsing rule).
    return {name: value[1:] if value.startswith("\n") else value for name, value in parser.fields.items()}


# --- The run: one thread per user ---------------------------------------------------------------------------


@dataclass
class Sample:
    label: str
    status: int  # 0: no answer (connection error or timeout)
    ms: float
    expected: bool


@dataclass
class EditOutcome:
    contest: int
    round: int
    email: str
    based_on: int
    status: int
    accepted: bool  # API 200, or the web form's redirect after saving
    new_version: int | None
    description: str


class _Pair:
    """What the two coordinators of a pair share: a barrier, so both read the same version and then both write."""

    def __init__(self, timeout: float) -> None:
        self.barrier = threading.Barrier(2, timeout=timeout)


class LoadRun:
    """Drives ``plan``'s users against ``base_url`` for ``seconds`` and keeps every answer."""

    def __init__(self, base_url: str, plan: Plan, *, seconds: float, think: float = 1.0, contest_every: int = 6,
                 password: str = PASSWORD, seed: int = 2026) -> None:
        self.base_url = base_url.rstrip("/")
        self.plan = plan
        self.seconds = seconds
        self.think = think
        self.contest_every = contest_every
        self.password = password
        self.seed = seed
        self.samples: list[Sample] = []
        self.edits: list[EditOutcome] = []
        self.failures: list[str] = []  # the first few unexpected answers, for the report
        self._lock = threading.Lock()
        self._pairs = {index: _Pair(timeout=REQUEST_TIMEOUT * 2) for index in range(len(plan.contests))}
        # Every user logged in: the clock starts (set by the barrier's action, before any thread goes on).
        self._ready = threading.Barrier(len(plan.accounts) + 1, action=self._start_clock, timeout=600)
        self.started = 0.0
        self.deadline = 0.0

    # HTTP ---------------------------------------------------------------------------------------------------

    def _request(self, http: requests.Session, label: str, method: str, path: str, *, expected=(200,),
                 **kwargs) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = http.request(method, self.base_url + path, allow_redirects=False, timeout=REQUEST_TIMEOUT,
                                    **kwargs)
        except requests.RequestException as exc:
            self._record(Sample(label, 0, (time.perf_counter() - started) * 1000, False),
                         f"{label}: {method} {path}: {type(exc).__name__}")
            return None
        ms = (time.perf_counter() - started) * 1000
        ok = response.status_code in expected
        self._record(Sample(label, response.status_code, ms, ok),
                     None if ok else f"{label}: {method} {path} -> {response.status_code} {response.text[:200]!r}")
        return response

    def _record(self, sample: Sample, failure: str | None) -> None:
        with self._lock:
            self.samples.append(sample)
            if failure and len(self.failures) < 50:
                self.failures.append(failure)

    def login(self, http: requests.Session, email: str) -> None:
        page = http.get(self.base_url + "/login", timeout=REQUEST_TIMEOUT)
        token = CSRF_RE.search(page.text)
        if token is None:
            raise RuntimeError("the login page has no CSRF token")
        answer = http.post(self.base_url + "/login", data={"email": email, "password": self.password,
                                                           "csrf_token": token.group(1)},
                           allow_redirects=False, timeout=REQUEST_TIMEOUT)
        if answer.status_code != 302 or "/login" in answer.headers.get("Location", ""):
            raise RuntimeError(f"login failed for {email}: {answer.status_code}")

    # What each role does --------------------------------------------------------------------------------

    def _web_case_list(self, http, rnd: random.Random) -> None:
        query = rnd.choice(["status=open", "status=open&overdue=ja", f"status=open&page={rnd.randint(1, 4)}",
                            f"status=closed&page={rnd.randint(1, 20)}", ""])
        self._request(http, "web: case list", "GET", "/casussen" + (f"?{query}" if query else ""))

    def _web_case_page(self, http, rnd, account: Account) -> None:
        self._request(http, "web: case page", "GET", f"/casussen/{rnd.choice(account.case_ids)}")

    def _web_pdf(self, http, rnd, account: Account) -> None:
        response = self._request(http, "web: case PDF", "GET",
                                 f"/casussen/{rnd.choice(account.case_ids)}/samenvatting.pdf")
        if response is not None and response.status_code == 200 and not response.content.startswith(b"%PDF"):
            self._record(Sample("web: case PDF (body)", 200, 0, False), "the case PDF is not a PDF")

    def _api_case_list(self, http, rnd, account: Account) -> None:
        query = rnd.choice(["status=open", "status=open&overdue=true", f"page={rnd.randint(1, 5)}&pageSize=50",
                            "stage=aanmelding"])
        self._request(http, "API: case list", "GET", f"/api/v1/cases?{query}", headers=self._bearer(account))

    def _api_case(self, http, rnd, account: Account) -> None:
        self._request(http, "API: case", "GET", f"/api/v1/cases/{rnd.choice(account.case_ids)}",
                      headers=self._bearer(account))

    def _api_events(self, http, rnd, account: Account) -> None:
        self._request(http, "API: case timeline", "GET", f"/api/v1/cases/{rnd.choice(account.case_ids)}/events",
                      headers=self._bearer(account))

    def _export_download(self, http, rnd, account: Account) -> None:
        name = rnd.choice(self.plan.export_files)
        if rnd.random() < 0.5:
            self._request(http, "web: export download", "GET", f"/inspectie/exports/{self.plan.export_month}/{name}")
        else:
            self._request(http, "API: export download", "GET", f"/api/v1/exports/{self.plan.export_month}/{name}",
                          headers=self._bearer(account))

    @staticmethod
    def _bearer(account: Account) -> dict[str, str]:
        return {"Authorization": f"Bearer {account.token}"}

    def _actions(self, account: Account):
        """(weight, action) per role; every action takes (http, rnd)."""
        web = {
            "case list": lambda http, rnd: self._web_case_list(http, rnd),
            "case page": lambda http, rnd: self._web_case_page(http, rnd, account),
            "api list": lambda http, rnd: self._api_case_list(http, rnd, account),
            "api case": lambda http, rnd: self._api_case(http, rnd, account),
            "api events": lambda http, rnd: self._api_events(http, rnd, account),
        }
        if account.role == "coordinator":
            return [
                (20, web["case list"]), (25, web["case page"]),
                (10, lambda http, rnd: self._request(http, "web: coordinator dashboard", "GET", "/dashboard")),
                (5, lambda http, rnd: self._request(http, "web: notifications", "GET", "/meldingen")),
                (6, lambda http, rnd: self._web_pdf(http, rnd, account)),
                (12, web["api list"]), (12, web["api case"]), (5, web["api events"]),
            ]
        if account.role == "leerplicht":
            return [
                (20, lambda http, rnd: self._request(http, "web: leerplicht dashboard", "GET",
                                                     "/dashboard/leerplicht")),
                (10, lambda http, rnd: self._request(http, "web: alerts", "GET", "/signalen")),
                (25, web["case list"]), (30, web["case page"]), (10, web["api list"]), (15, web["api case"]),
            ]
        return [
            (40, lambda http, rnd: self._request(http, "web: inspectie dashboard", "GET", "/dashboard/inspectie")),
            (20, lambda http, rnd: self._request(http, "web: exports page", "GET", "/inspectie/exports")),
            (20, lambda http, rnd: self._export_download(http, rnd, account)),
            (20, lambda http, rnd: self._request(http, "API: exports", "GET", "/api/v1/exports",
                                                 headers=self._bearer(account))),
        ]

    def _contest(self, http: requests.Session, account: Account, round_no: int) -> bool:
        """Read the pair's case, wait for the partner, then both save the same step based on the version read.

        Odd rounds go through the API (`PATCH` with `If-Match`: 200 or 412), even rounds through the web form
        (the form's hidden version: a redirect when saved, 409 with the other person's change when stale).
        False when the partner has stopped (the run is over).
        """
        assert account.contest is not None
        contest = self.plan.contests[account.contest]
        pair = self._pairs[account.contest]
        through_api = round_no % 2 == 1
        step_path = f"/casussen/{contest.case_id}/stappen/{contest.step_id}"
        try:
            pair.barrier.wait()  # both finished the previous round: they read the same version
        except threading.BrokenBarrierError:
            return False
        based_on, fields = None, {}
        if through_api:
            response = self._request(http, "API: case before edit", "GET", f"/api/v1/cases/{contest.case_id}",
                                     headers=self._bearer(account))
            if response is not None and response.status_code == 200:
                based_on = int(response.headers["ETag"].strip('"'))
        else:
            response = self._request(http, "web: step form", "GET", step_path)
            if response is not None and response.status_code == 200:
                fields = form_fields(response.text)
                based_on = int(fields["version"])
        try:
            pair.barrier.wait()  # both hold the same version now
        except threading.BrokenBarrierError:
            return False
        if based_on is None:
            return True  # the read failed (recorded); the partner edits alone this round
        text = f"Load run: {account.email.split('@')[0]} round {round_no}"
        if through_api:
            answer = self._request(http, "API: step edit (PATCH)", "PATCH",
                                   f"/api/v1/cases/{contest.case_id}/steps/{contest.step_id}", expected=(200, 412),
                                   headers={**self._bearer(account), "If-Match": f'"{based_on}"'},
                                   json={"description": text})
            accepted = answer is not None and answer.status_code == 200
            new_version = int(answer.headers["ETag"].strip('"')) if accepted else None
        else:
            answer = self._request(http, "web: step edit (form)", "POST", step_path, expected=(302, 409),
                                   data={**fields, "description": text})
            accepted = answer is not None and answer.status_code == 302
            if answer is not None and answer.status_code == 409 and "Iemand anders heeft" not in answer.text:
                self._record(Sample("web: step edit (form)", 409, 0, False), "a stale form without the conflict")
            new_version = based_on + 1 if accepted else None  # one save bumps the version once
        with self._lock:
            self.edits.append(EditOutcome(account.contest, round_no, account.email, based_on,
                                          answer.status_code if answer is not None else 0, accepted, new_version,
                                          text))
        return True

    def _user(self, account: Account, index: int) -> None:
        rnd = random.Random(self.seed * 1000 + index)
        http = requests.Session()
        try:
            self.login(http, account.email)
        except Exception as exc:  # reported; the run still starts for the others
            self._record(Sample("login", 0, 0, False), f"login {account.email}: {exc}")
            self._ready.wait()
            return
        actions = self._actions(account)
        weights = [w for w, _ in actions]
        self._ready.wait()
        iteration = 0
        round_no = 0
        try:
            while time.monotonic() < self.deadline:
                iteration += 1
                # A pair's first action is a race, then every contest_every-th: even a short run has races.
                if account.contest is not None and (iteration - 1) % self.contest_every == 0:
                    round_no += 1
                    if not self._contest(http, account, round_no):
                        break
                else:
                    rnd.choices(actions, weights)[0][1](http, rnd)
                time.sleep(rnd.uniform(0, self.think))
        finally:
            if account.contest is not None:
                self._pairs[account.contest].barrier.abort()  # the partner must not wait for a round that ends
            http.close()

    def _start_clock(self) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + self.seconds

    def run(self) -> LoadRun:
        threads = [threading.Thread(target=self._user, args=(account, index), daemon=True)
                   for index, account in enumerate(self.plan.accounts)]
        for thread in threads:
            thread.start()
        self._ready.wait()
        for thread in threads:
            thread.join()
        self.elapsed = time.monotonic() - self.started
        return self

    # Summary -------------------------------------------------------------------------------------------

    def summary(self) -> dict:
        by_label: dict[str, list[Sample]] = defaultdict(list)
        for sample in self.samples:
            by_label[sample.label].append(sample)
        pages = {}
        for label, samples in sorted(by_label.items()):
            timings = sorted(s.ms for s in samples if s.status)
            pages[label] = {
                "requests": len(samples),
                "statuses": dict(sorted(Counter(str(s.status) for s in samples).items())),
                "p50_ms": round(percentile(timings, 0.5), 1) if timings else None,
                "p95_ms": round(percentile(timings, 0.95), 1) if timings else None,
                "max_ms": round(timings[-1], 1) if timings else None,
            }
        rounds = Counter((e.contest, e.round) for e in self.edits)
        return {
            "users": len(self.plan.accounts),
            "seconds": round(getattr(self, "elapsed", self.seconds), 1),
            "requests": len(self.samples),
            "requests_per_second": round(len(self.samples) / max(getattr(self, "elapsed", self.seconds), 0.001), 1),
            "server_errors": sum(1 for s in self.samples if s.status >= 500),
            "no_answer": sum(1 for s in self.samples if s.status == 0),
            "unexpected": sum(1 for s in self.samples if not s.expected),
            "edits": {"rounds": len(rounds), "accepted": sum(1 for e in self.edits if e.accepted),
                      "refused": sum(1 for e in self.edits if e.status in (409, 412))},
            "pages": pages,
            "failures": self.failures,
        }


# --- Afterwards: nothing lost -------------------------------------------------------------------------------


def verify_plan(plan: Plan, edits: list[EditOutcome]) -> dict:
    """Every accepted edit is in the audit trail and built on the one before; the last one is in the database.

    Runs in an app context. A lost update is: an accepted edit with no audit event (or the wrong user's), two
    accepted edits in one round (one overwrote the other unseen), an accepted edit not based on the one accepted
    before it, an audit event for an edit that was refused, or a database value other than the last accepted one.
    """
    from sqlalchemy import select

    from thuiszitters.accounts.models import User
    from thuiszitters.audit.models import AuditEvent
    from thuiszitters.cases.models import Case, Step
    from thuiszitters.extensions import db

    db.session.rollback()  # a fresh transaction: see what the server committed
    problems: list[str] = []
    lost = 0
    emails = dict(db.session.execute(select(User.id, User.email)).all())
    by_contest: dict[int, list[EditOutcome]] = defaultdict(list)
    for edit in edits:
        by_contest[edit.contest].append(edit)
    conflicts = 0
    for index, contest in enumerate(plan.contests):
        outcomes = by_contest.get(index, [])
        per_round: dict[int, list[EditOutcome]] = defaultdict(list)
        for edit in outcomes:
            per_round[edit.round].append(edit)
        for round_no, round_edits in sorted(per_round.items()):
            winners = [e for e in round_edits if e.accepted]
            if len(winners) > 1:
                lost += len(winners) - 1
                problems.append(f"case {contest.case_id} round {round_no}: {len(winners)} edits accepted with the "
                                f"same version")
            if len(winners) == 1 and any(e.status in (409, 412) for e in round_edits):
                conflicts += 1
        accepted = sorted((e for e in outcomes if e.accepted), key=lambda e: e.new_version or 0)
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == contest.case_id, AuditEvent.id > plan.audit_mark,
                                     AuditEvent.action == "step.update").order_by(AuditEvent.id)
        ).all()
        logged = [(emails.get(e.actor_id), tuple((e.changes or {}).get("version") or ())) for e in events
                  if e.object_id == contest.step_id]
        wanted = [(e.email, (e.based_on, e.new_version)) for e in accepted]
        for item in wanted:
            if item not in logged:
                lost += 1
                problems.append(f"case {contest.case_id}: accepted edit {item} is not in the audit trail")
        for item in logged:
            if item not in wanted:
                problems.append(f"case {contest.case_id}: audit event {item} for an edit that was not accepted")
        previous = contest.version
        for edit in accepted:
            if edit.based_on != previous or edit.new_version != previous + 1:
                lost += 1
                problems.append(f"case {contest.case_id}: edit {edit.based_on}->{edit.new_version} after version "
                                f"{previous}")
            previous = edit.new_version or previous
        case = db.session.get(Case, contest.case_id)
        step = db.session.get(Step, contest.step_id)
        if case.version != previous:
            problems.append(f"case {contest.case_id}: version {case.version} in the database, {previous} expected")
            lost += 1
        if accepted and step.description != accepted[-1].description:
            problems.append(f"case {contest.case_id}: the step holds {step.description!r}, the last accepted edit "
                            f"was {accepted[-1].description!r}")
            lost += 1
    return {"lost_updates": lost, "conflicts_with_one_winner": conflicts, "problems": problems[:50]}
