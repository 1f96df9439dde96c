"""Racing writes: two people save against the same version at the same moment.

Exactly one of them wins; the other gets what a stale edit gets (API: 412 problem+json with the current version;
web: the stale-edit page showing the other person's change). Never a 500, and no write is lost or doubled.

The races are real: the app is served on loopback by a threaded server and each pair of requests is released
at the same moment from two threads, so both usually pass the version check before either commits and the
database itself has to refuse the second UPDATE (SQLAlchemy's version counter). The first tests drive that
last step deterministically with two sessions.
"""
from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from functools import partial
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories
from thuiszitters.api.openapi import API_VERSION
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases import services
from thuiszitters.cases.models import Case, Step
from thuiszitters.casework.models import JournalEntry
from thuiszitters.errors import ConcurrentWrite, StaleVersion
from thuiszitters.extensions import db

TODAY = date(2026, 11, 2)  # config/testing.py pins the clock here


# --- the mechanism, step by step with two sessions ----------------------------------------------------------


def _registered_case(w) -> Case:
    case = services.create_case(services.CaseInput(
        first_name="Noah", last_name="de Vries", date_of_birth=date(2014, 3, 1), gemeente_code="GM0363",
        swv_code="PO 27-01", absence_kind="absoluut_verzuim", out_of_school_since=date(2026, 9, 1)),
        actor=w.coordinator, today=TODAY)
    db.session.commit()
    return case


def _in_another_request(app: Flask, work) -> None:
    """Run `work` in its own app context, so with its own session and connection, and commit it."""
    from flask.globals import _cv_app

    token = _cv_app.set(None)
    try:
        with app.app_context():
            work()
            db.session.commit()
    finally:
        _cv_app.reset(token)


@pytest.mark.parametrize("operation", ["update_case", "add_step", "update_step", "close", "transfer"])
def test_a_save_the_database_refuses_as_stale_is_a_stale_version_with_the_other_change(app, operation):
    w = factories.world()
    anna = factories.user("coordinator", email="anna@example.nl", name="Anna Aerts", swvs=("PO 27-01",))
    db.session.commit()
    case = _registered_case(w)
    step = services.add_step(case, "aanmelding", {"received_on": date(2026, 9, 7)}, expected_version=case.version,
                             actor=w.coordinator, today=TODAY)
    db.session.commit()
    loaded_version = case.version  # this request loaded the case; now someone else saves first

    def other_saves():
        other = db.session.get(Case, case.id)
        services.update_case(other, {"absence_kind": "relatief_verzuim"}, expected_version=other.version,
                             actor=anna, today=TODAY)

    _in_another_request(app, other_saves)
    assert case.version == loaded_version  # our copy does not know: the version check passes

    attempts = {
        "update_case": lambda: services.update_case(case, {"note": "Mijn notitie"},
                                                    expected_version=loaded_version, actor=w.coordinator,
                                                    today=TODAY),
        "add_step": lambda: services.add_step(case, "aanmelding", {"received_on": date(2026, 10, 1)},
                                              expected_version=loaded_version, actor=w.coordinator, today=TODAY),
        "update_step": lambda: services.update_step(case, step.id, {"received_on": date(2026, 9, 8)},
                                                    expected_version=loaded_version, actor=w.coordinator,
                                                    today=TODAY),
        # A move is no passend aanbod: it records the closing date only (issue 16).
        "close": lambda: services.close_case(case, outcome="verhuisd", offer_started_on=None,
                                             closed_on=date(2026, 10, 1), school_brin=None, note=None,
                                             expected_version=loaded_version, actor=w.coordinator, today=TODAY),
        "transfer": lambda: services.transfer_case(case, swv_code="VO 27-02", gemeente_code=None,
                                                   reason="Verhuisd", expected_version=loaded_version,
                                                   actor=w.coordinator, today=TODAY),
    }
    with pytest.raises(StaleVersion) as refused:
        attempts[operation]()
    db.session.rollback()
    assert refused.value.current_version == loaded_version + 1
    assert [(c["action"], c["actor"], c["changes"].get("absence_kind")) for c in refused.value.changes] == [
        ("case.update", "Anna Aerts", ["absoluut_verzuim", "relatief_verzuim"])]

    stored = db.session.get(Case, case.id)
    assert (stored.version, stored.absence_kind, stored.note, stored.status) == (
        loaded_version + 1, "relatief_verzuim", None, "open")
    assert stored.swv.code == "PO 27-01" and len(stored.steps) == 1
    assert stored.steps[0].received_on == date(2026, 9, 7)


def test_a_save_blocked_by_another_writer_until_the_database_gives_up_is_a_409_to_retry(app, database_url):
    """A lock the database could not get in time (the version did not move) is "try again", never a 500."""
    w = factories.world()
    db.session.commit()
    case = _registered_case(w)
    version = case.version
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET lock_timeout = '300ms'")
        blocker = db.engine.connect()
        blocker.execute(select(Case.id).where(Case.id == case.id).with_for_update())
        release = blocker.rollback
    else:
        import sqlite3

        connection.exec_driver_sql("PRAGMA busy_timeout = 300")
        raw = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        release = raw.rollback
    try:
        with pytest.raises(ConcurrentWrite) as refused:
            services.update_case(case, {"note": "Nu niet"}, expected_version=version, actor=w.coordinator,
                                 today=TODAY)
        assert refused.value.status == 409 and "probeer het opnieuw" in refused.value.detail
    finally:
        release()
    db.session.rollback()
    stored = db.session.get(Case, case.id)
    assert (stored.version, stored.note) == (version, None)
    # Once the other writer is done, the same save goes through.
    services.update_case(stored, {"note": "Nu wel"}, expected_version=version, actor=w.coordinator, today=TODAY)
    db.session.commit()
    assert db.session.get(Case, case.id).version == version + 1


def test_every_versioned_model_explains_a_stale_save():
    """A new versioned model (a casework sub-resource) must say what changed since, or this test fails."""
    from thuiszitters import versioning

    versioned = [mapper.class_ for mapper in db.Model.registry.mappers if mapper.version_id_col is not None]
    assert Case in versioned
    assert [model for model in versioned if not versioning.has_history(model)] == []


# --- real races through the served app ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: dict
    headers: dict


def _call(base: str, method: str, path: str, token: str, body: dict | None = None,
          version: int | None = None) -> Answer:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    request = urllib.request.Request(f"{base}/api/v1{path}", method=method, headers=headers,  # noqa: S310
                                     data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback URL we built
            return Answer(response.status, json.loads(response.read() or b"{}"), dict(response.headers))
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = {"raw": raw[:200].decode(errors="replace")}
        return Answer(error.code, parsed, dict(error.headers))


def _at_once(*requests):
    """Release the requests at the same moment from separate threads; their answers in the same order."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def run(index: int, request) -> None:
        barrier.wait()
        answers[index] = request()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_racing_api_writes_give_one_winner_and_412s_never_a_500_and_lose_nothing(app, live_server):
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1)
    both = factories.user("coordinator", email="both@example.nl", name="Bea Beide", swvs=("PO 27-01", "VO 27-02"))
    tokens = [factories.token(both), factories.token(both)]
    db.session.commit()

    def call(index: int, method: str, path: str, body: dict | None = None, version: int | None = None):
        return _call(live_server, method, path, tokens[index], body, version)

    created = call(0, "POST", "/cases", {
        "pupil": {"firstName": "Noah", "lastName": "de Vries", "dateOfBirth": "2014-03-01",
                  "gemeenteCode": "GM0363"},
        "swvCode": "PO 27-01", "absenceKind": "absoluut_verzuim", "outOfSchoolSince": "2026-09-01"})
    assert created.status == 201, created.body
    cid = created.body["id"]
    step = call(0, "POST", f"/cases/{cid}/steps", {"kind": "aanmelding", "receivedOn": "2026-09-07"})
    assert step.status == 201, step.body
    sid = step.body["id"]

    def pair_ops(kind: str, i: int, current: dict):
        """The two racing requests of pair `i` (same operation, different content) and the success status."""
        if kind == "patch_case":
            return [("PATCH", f"/cases/{cid}", {"note": f"Notitie {i}-{who}"}) for who in "ab"], 200
        if kind == "add_step":
            return [("POST", f"/cases/{cid}/steps", {"kind": "aanmelding", "receivedOn": f"2026-10-{day:02d}"})
                    for day in (i % 28 + 1, (i + 3) % 28 + 1)], 201
        if kind == "patch_step":
            return [("PATCH", f"/cases/{cid}/steps/{sid}", {"receivedOn": f"2026-09-{day:02d}"})
                    for day in (i % 28 + 1, (i + 7) % 28 + 1)], 200
        if kind == "close":
            return [("POST", f"/cases/{cid}/close", {"outcome": "verhuisd", "closedOn": f"2026-10-{d:02d}"})
                    for d in (1, 2)], 200
        if kind == "reopen":
            return [("POST", f"/cases/{cid}/reopen", {"reason": f"Reden {who}"}) for who in "ab"], 200
        if kind == "transfer":
            target = "VO 27-02" if current["swvCode"] == "PO 27-01" else "PO 27-01"
            return [("POST", f"/cases/{cid}/transfer", {"swvCode": target, "reason": f"Verhuisd {who}"})
                    for who in "ab"], 200
        if kind == "mixed":
            return [("PATCH", f"/cases/{cid}", {"note": f"Gemengd {i}"}),
                    ("POST", f"/cases/{cid}/steps", {"kind": "aanmelding", "receivedOn": "2026-10-20"})], None
        raise AssertionError(kind)

    plan = (["patch_case"] * 10 + ["add_step"] * 6 + ["patch_step"] * 8 + ["close", "reopen"] * 4
            + ["transfer"] * 6 + ["mixed"] * 6)
    problems = []
    raced_successes = notes_won = 0
    for i, kind in enumerate(plan):
        before = call(0, "GET", f"/cases/{cid}")
        assert before.status == 200, before.body
        version = before.body["version"]
        steps_before = len(before.body["steps"])
        ops, success = pair_ops(kind, i, before.body)
        answers = _at_once(*[partial(call, n, *op, version=version) for n, op in enumerate(ops)])
        statuses = [a.status for a in answers]
        if any(s >= 500 for s in statuses):
            problems.append(f"{kind} #{i}: {statuses} {[a.body for a in answers]}")
            continue
        winners = [n for n, a in enumerate(answers) if a.status in (200, 201)]
        losers = [n for n, a in enumerate(answers) if a.status == 412]
        assert len(winners) == 1 and len(losers) == 1, f"{kind} #{i}: {statuses} {[a.body for a in answers]}"
        winner, loser = answers[winners[0]], answers[losers[0]]
        if success is not None:
            assert winner.status == success
        assert loser.headers["Content-Type"] == "application/problem+json"
        assert loser.headers["API-Version"] == API_VERSION
        assert loser.body["code"] == "stale_version"
        assert loser.body["currentVersion"] == version + 1, (kind, i, loser.body)
        raced_successes += 1

        after = call(0, "GET", f"/cases/{cid}").body
        assert after["version"] == version + 1, (kind, i)  # exactly one write, none lost, none doubled
        winning_op = ops[winners[0]]
        if kind in ("patch_case", "mixed") and winning_op[0] == "PATCH":
            # The winner's note is in the journal (issue 18: a note becomes an entry); the loser's is not.
            notes = [e["summary"] for e in call(0, "GET", f"/cases/{cid}/journal?pageSize=100").body["items"]]
            assert winning_op[2]["note"] in notes, (kind, i)
            notes_won += 1
            losing_op = ops[losers[0]]
            assert losing_op[0] != "PATCH" or losing_op[2]["note"] not in notes, (kind, i)
        added = len(after["steps"]) - steps_before
        assert added == (1 if winning_op[0] == "POST" and winning_op[1].endswith("/steps") else 0), (kind, i)
        if kind == "patch_step":
            stored = next(s for s in after["steps"] if s["id"] == sid)
            assert stored["receivedOn"] == winning_op[2]["receivedOn"]
        if kind == "transfer":
            assert after["swvCode"] == winning_op[2]["swvCode"]
        if kind in ("close", "reopen"):
            assert after["status"] == ("closed" if kind == "close" else "open")

    assert problems == [], "\n".join(problems)
    assert raced_successes == len(plan)
    db.session.expire_all()
    stored = db.session.get(Case, cid)
    assert stored.version == 2 + len(plan)  # created (1), first step (2), then one per pair
    changes = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.case_id == cid, AuditEvent.action != "case.read", AuditEvent.action != "case.events.read",
        AuditEvent.action.not_like("journal.%")))
    assert changes == stored.version  # one audit event per saved version, none for a refused save
    entries = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.case_id == cid, AuditEvent.action == "journal.create"))
    assert entries == notes_won  # each winning note became one journal entry, no refused one did
    assert db.session.scalar(select(func.count()).select_from(Step).where(Step.case_id == cid)) == \
        len(after["steps"])


# --- the web forms ---------------------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"')


class Browser:
    """A logged-in browser talking HTTP to the served app (its own cookie jar, no redirects followed)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                                  self._NoRedirect())
        page = self.get("/login")[1]
        status, _ = self.post("/login", {"email": email, "password": factories.PASSWORD,
                                         "csrf_token": CSRF_RE.search(page).group(1)})
        assert status == 302

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback URL we built

    def post(self, path: str, data: dict) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, data=urlencode(data).encode(),  # noqa: S310
                                         method="POST")
        return self._open(request)

    def form(self, path: str) -> dict:
        status, page = self.get(path)
        assert status == 200, path
        return {"csrf_token": CSRF_RE.search(page).group(1), "version": VERSION_RE.search(page).group(1)}


def test_racing_web_forms_give_one_winner_and_the_stale_edit_page_never_a_500(app, live_server):
    w = factories.world()
    factories.user("coordinator", email="anna@example.nl", name="Anna Aerts", swvs=("PO 27-01", "VO 27-02"))
    factories.user("coordinator", email="bram@example.nl", name="Bram Bos", swvs=("PO 27-01", "VO 27-02"))
    db.session.commit()
    case = _registered_case(w)
    step = services.add_step(case, "aanmelding", {"received_on": date(2026, 9, 7)}, expected_version=case.version,
                             actor=w.coordinator, today=TODAY)
    db.session.commit()
    cid, sid = case.id, step.id
    anna, bram = Browser(live_server, "anna@example.nl"), Browser(live_server, "bram@example.nl")
    names = {id(anna): "Anna Aerts", id(bram): "Bram Bos"}
    case_fields = {"first_name": "Noah", "last_name": "de Vries", "date_of_birth": "01-03-2014",
                   "gemeente_code": "GM0363", "school_brin": "", "absence_kind": "absoluut_verzuim",
                   "out_of_school_since": "01-09-2026", "bsn": ""}
    def forms(kind: str, i: int) -> tuple[str, list[dict]]:
        if kind == "edit":
            return f"/casussen/{cid}/bewerken", [{**case_fields, "note": f"Notitie {i}-{who}"} for who in "ab"]
        if kind == "new_step":
            return f"/casussen/{cid}/stappen/nieuw/aanmelding", [
                {"received_on": f"{d:02d}-10-2026", "school_brin": "", "out_of_order_reason": ""} for d in (5, 6)]
        if kind == "edit_step":
            return f"/casussen/{cid}/stappen/{sid}", [
                {"received_on": f"{d:02d}-09-2026", "school_brin": ""} for d in (i % 20 + 1, i % 20 + 2)]
        if kind == "close":
            return f"/casussen/{cid}/sluiten", [{"outcome": "verhuisd", "closed_on": "01-10-2026",
                                                 "school_brin": "", "note": f"Sluiten {who}"} for who in "ab"]
        if kind == "reopen":
            return f"/casussen/{cid}/heropenen", [{"reason": f"Heropenen {who}"} for who in "ab"]
        if kind == "transfer":
            db.session.expire_all()
            target = "VO 27-02" if db.session.get(Case, cid).swv.code == "PO 27-01" else "PO 27-01"
            return f"/casussen/{cid}/overdragen", [{"swv_code": target, "gemeente_code": "",
                                                    "reason": f"Verhuisd {who}"} for who in "ab"]
        raise AssertionError(kind)

    plan = ["edit"] * 8 + ["new_step"] * 4 + ["edit_step"] * 6 + ["close", "reopen"] * 3 + ["transfer"] * 4
    problems = []
    for i, kind in enumerate(plan):
        path, data = forms(kind, i)
        loaded = [anna.form(path), bram.form(path)]
        assert loaded[0]["version"] == loaded[1]["version"]
        version = int(loaded[0]["version"])
        answers = _at_once(partial(anna.post, path, {**data[0], **loaded[0]}),
                           partial(bram.post, path, {**data[1], **loaded[1]}))
        statuses = [status for status, _ in answers]
        if any(s >= 500 for s in statuses):
            problems.append(f"{kind} #{i}: {statuses}")
            continue
        assert sorted(statuses) == [302, 409], f"{kind} #{i}: {statuses}"
        winner = (anna, bram)[statuses.index(302)]
        page = answers[statuses.index(409)][1]
        assert "Iemand anders heeft deze casus gewijzigd" in page
        conflict = page.split('id="conflict"')[1].split("</div>")[0]
        assert names[id(winner)] in conflict, (kind, i)  # the other person's change is shown
        assert VERSION_RE.search(page).group(1) == str(version + 1)  # a deliberate resubmit is possible
        db.session.expire_all()
        stored = db.session.get(Case, cid)
        assert stored.version == version + 1, (kind, i)
        if kind == "edit":
            # The winner's note became a journal entry (issue 18), the refused one did not.
            notes = set(db.session.scalars(select(JournalEntry.summary).where(JournalEntry.case_id == cid)))
            assert data[statuses.index(302)]["note"] in notes and data[statuses.index(409)]["note"] not in notes
        if kind == "transfer":
            assert stored.swv.code == data[0]["swv_code"]
    assert problems == [], "\n".join(problems)
