"""Browser tests: Debian's Chromium driven by Playwright against the app served on loopback.

Nothing downloads a browser: Chromium comes from apt-get (.ci/run installs it). Without it the tests skip,
except in CI (CI=true), where a missing browser is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "e2e"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must install it (apt-get install chromium)")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


class Journey:
    """A page plus the checks every step of a journey makes: no accessibility violations, a screenshot."""

    def __init__(self, page, base_url: str, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.name = name
        self.step = 0
        self.console_errors: list[str] = []
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def check(self, label: str) -> None:
        """axe-core on the current page (WCAG 2.1 A and AA) and a screenshot kept as a test artifact."""
        from axe_playwright_python.sync_playwright import Axe

        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{self.step:02d}-{label}".lower()).strip("-")
        self.page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)
        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
        assert violations == [], f"{label} ({self.page.url}):\n" + "\n".join(violations)
        csp = [e for e in self.console_errors if "Content Security Policy" in e]
        assert csp == [], f"{label}: CSP violations {csp}"

    def login(self, email: str, password: str) -> None:
        self.goto("/login")
        self.page.get_by_label("E-mailadres").fill(email)
        self.page.get_by_label("Wachtwoord").fill(password)
        self.page.get_by_role("button", name="Inloggen").click()
        self.page.wait_for_load_state()


@pytest.fixture
def journey(browser, live_server, request) -> Iterator[Journey]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield Journey(page, live_server, request.node.name)
    context.close()
