"""Screenshots of the main pages at 390 and 1366 px for docs/screenshots: `.venv/bin/python docs/screenshots/take.py`.

Builds the demo data in a temporary SQLite database on a fixed day (so the pictures only change when the pages
do), serves the app on a free loopback port in a thread, and drives Debian's Chromium with Playwright, logged in
as each role in turn. Needs the dev dependencies (`make install`) and /usr/bin/chromium (CHROMIUM_PATH).
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from thuiszitters import create_app  # noqa: E402
from thuiszitters.seed.demo import DEMO_PASSWORD  # noqa: E402

OUT = Path(__file__).resolve().parent
DAY = date(2026, 12, 1)
WIDTHS = {390: 844, 1366: 900}
MAX_HEIGHT = 1800  # px of a long page that make it into the picture
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _prepare(folder: Path):
    from flask_migrate import upgrade
    from sqlalchemy import select

    from thuiszitters.cases.models import Case
    from thuiszitters.casework.models import Action
    from thuiszitters.exports.services import build_month_export
    from thuiszitters.extensions import db
    from thuiszitters.reminders.services import send_due_reminders
    from thuiszitters.seed.demo import load_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'screens.db'}", "FIXED_TODAY": DAY.isoformat(),
                      "EXPORT_DIR": str(folder / "exports"), "LOG_LEVEL": "warning"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo(DAY)
        db.session.commit()
        send_due_reminders(DAY)
        build_month_export("2026-11", actor_id=None, now=app.extensions["clock"].now_utc())
        db.session.commit()
        case = db.session.scalar(select(Case).where(Case.status == "open", Case.stage == "consulent")
                                 .order_by(Case.id))
        planned = db.session.scalar(select(Action).order_by(Action.id))  # the demo case with a plan
        return app, case.id, case.reference, planned.case_id, planned.id


def _login(page: Page, base: str, role: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(f"{role}@demo.thuiszitters.nl")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def _shoot(page: Page, name: str, width: int) -> None:
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": height})
    print(f"{name}-{width}.png")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app, case_id, reference, planned_id, action_id = _prepare(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        shots = {
            None: [("01-inloggen", "/login", None)],
            "coordinator": [("02-dashboard-coordinator", "/dashboard", None), ("03-casussen", "/casussen", None),
                            ("04-casus", f"/casussen/{case_id}", None),
                            ("05-nieuwe-casus-met-fouten", "/casussen/nieuw", "submit"),
                            ("12-mijn-werk-coordinator", "/mijn-werk", None),
                            ("13-casus-met-plan", f"/casussen/{planned_id}#plan", None),
                            ("14-overleg-vastleggen", f"/casussen/{planned_id}/overleg/nieuw", None),
                            ("16-meldingen", "/meldingen", None),
                            ("17-actie-bijwerken", f"/casussen/{planned_id}/plan/{action_id}", None)],
            "leerplicht": [("06-signalen", "/signalen", None), ("07-dashboard-leerplicht", "/dashboard/leerplicht",
                                                                None),
                           ("15-mijn-werk-leerplicht", "/mijn-werk", None)],
            "inspectie": [("08-exports", "/inspectie/exports", None)],
            "admin": [("09-verwerkingenlogboek", f"/beheer/verwerkingen?case={reference}", None),
                      ("10-gebruiker", "/beheer/gebruikers/1", None)],
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for width, height in WIDTHS.items():
                for role, pages in shots.items():
                    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
                    page = context.new_page()
                    if role:
                        _login(page, base, role)
                    for name, path, action in pages:
                        page.goto(base + path)
                        if action == "submit":
                            page.get_by_label("Geboortedatum").fill("31-02-2013")
                            page.get_by_role("button", name="Casus registreren").click()
                            page.wait_for_load_state()
                        _shoot(page, name, width)
                    if role == "coordinator" and width < 600:
                        page.goto(base + "/casussen")
                        page.get_by_role("button", name="Menu").click()
                        page.screenshot(path=str(OUT / f"11-menu-open-{width}.png"))
                        print(f"11-menu-open-{width}.png")
                    context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
