"""A coordinator signs in through the organisation's provider and out again, in Debian's Chromium.

The provider is the real one of tests/oidc_provider (panva's oidc-provider on loopback); the app's pages on the way
are checked with axe-core like every journey.
"""
from __future__ import annotations

import re

import pytest

from tests import factories
from tests.oidc import account
from thuiszitters.extensions import db


@pytest.fixture
def app_overrides(provider):
    return provider.app_settings()


def test_coordinator_signs_in_through_the_organisation_and_out_again(app, journey, provider):
    app.config["BASE_URL"] = journey.base_url  # where the provider sends the browser back to
    provider.reset({"anna": account("sub-anna", "coord1@example.nl", name="Anna de Wit")}, bases=[journey.base_url])
    factories.world()
    db.session.commit()
    page = journey.page

    journey.goto("/casussen")
    assert page.url.startswith(f"{journey.base_url}/login")
    journey.check("login page with the organisation's button")
    page.get_by_role("link", name="Inloggen met Testorganisatie").click()

    # At the provider: its own login page, where the person signs in with a second factor.
    page.wait_for_url(re.compile(re.escape(provider.issuer) + r"/interaction/"))
    page.get_by_label("Login name").fill("anna")
    page.get_by_label("Second factor used").check()
    page.get_by_role("button", name="Sign in").click()

    # Back in the app: straight to the page asked for, no second code, as the coordinator with her own scope.
    page.wait_for_url(f"{journey.base_url}/casussen")
    assert "Coördinator samenwerkingsverband" in page.inner_text("header")
    journey.check("case list after sign-in through the organisation")

    # Sign-out ends the session here and at the provider, which sends the browser back to the login page.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(re.escape(provider.issuer) + r"/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(re.compile(re.escape(journey.base_url) + r"/login"))
    assert "U bent uitgelogd." in page.inner_text("main")
    journey.check("login page after signing out at the provider too")

    journey.goto("/casussen")
    assert page.url.startswith(f"{journey.base_url}/login")
    # The provider's session ended too: signing in again asks for the login there.
    page.get_by_role("link", name="Inloggen met Testorganisatie").click()
    page.wait_for_url(re.compile(re.escape(provider.issuer) + r"/interaction/"))
    assert page.get_by_label("Login name").is_visible()

    # The admin sees who signed in through the organisation, and unbinds her.
    journey.login("admin@example.nl", factories.PASSWORD)
    page.get_by_role("link", name="Gebruikers").click()
    page.get_by_role("link", name="Inloggen via de organisatie").click()
    assert "coord1@example.nl" in page.inner_text("table") and "sub-anna" in page.inner_text("table")
    journey.check("admin page of identities at the organisation")
    page.get_by_role("button", name="Koppeling verbreken van coord1@example.nl").click()
    assert "is verbroken" in page.inner_text("main")
    assert "Nog niemand heeft via de organisatie ingelogd." in page.inner_text("main")



WIDTHS = (320, 390, 1366)
SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


class TestOnAPhoneAndALaptop:
    LABEL = "Inloggen met het account van Gemeente Súdwest-Fryslân"

    @pytest.fixture
    def app_overrides(self, provider):
        return provider.app_settings(OIDC_LABEL=self.LABEL)

    def test_the_organisations_button_and_a_refusal_read_well(self, app, journey, provider):
        """A long button text (a gemeente's name) on the login page, and the page of someone without an account here:
        no sideways scrolling at 320, 390 and 1366 px, and no accessibility violations."""
        app.config["BASE_URL"] = journey.base_url
        provider.reset({"nobody": account("sub-nobody", "niemand@example.nl")}, bases=[journey.base_url])
        factories.world()
        db.session.commit()
        page = journey.page

        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            journey.goto("/login")
            assert not page.evaluate(SCROLLS_SIDEWAYS), width
        journey.check("login page with a long organisation button at 1366 px")
        page.set_viewport_size({"width": 390, "height": 800})
        journey.check("login page with a long organisation button at 390 px")

        page.get_by_role("link", name=self.LABEL).click()
        page.wait_for_url(re.compile(re.escape(provider.issuer) + r"/interaction/"))
        page.get_by_label("Login name").fill("nobody")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(re.escape(journey.base_url) + r"/login/oidc/callback"))
        assert page.get_by_role("heading", level=1).inner_text() == "Geen account in Thuiszitters"
        assert "Een functioneel beheerder maakt accounts aan" in page.inner_text("main")
        journey.check("refusal of someone without an account at 390 px")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            assert not page.evaluate(SCROLLS_SIDEWAYS), width
        page.get_by_role("link", name="Inloggen met e-mailadres en wachtwoord").click()
        page.wait_for_url(f"{journey.base_url}/login")
