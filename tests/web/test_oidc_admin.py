"""The admin page of identities at the provider, unbinding one, and a deployment without a provider."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_from
from tests.oidc import ProviderBrowser, account
from thuiszitters.accounts.models import OidcIdentity, User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db

PAGE = "/beheer/organisatie-accounts"


def _bind(user: User, subject: str, issuer: str = "https://login.example.nl") -> OidcIdentity:
    identity = OidcIdentity(user_id=user.id, issuer=issuer, subject=subject, bound_at=now_utc(),
                            last_login_at=now_utc())
    db.session.add(identity)
    db.session.commit()
    return identity


def _unbind(client, user_id: int):
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    return client.post(f"{PAGE}/{user_id}/ontkoppelen", data={"csrf_token": token})


# --- without a provider (THUISZITTERS_OIDC_ISSUER unset): password sign-in only, as before ------------------

def test_without_a_provider_the_login_page_has_no_button_and_the_routes_send_you_to_it(app, client):
    assert "Inloggen via" not in client.get("/login").get_data(as_text=True)
    for path in ("/login/oidc", "/login/oidc/callback?code=x&state=y"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "hier niet ingesteld" in client.get("/login").get_data(as_text=True)


def test_the_admin_page_still_shows_and_unbinds_earlier_bindings(app, client, auth):
    w = factories.world()
    _bind(w.coordinator, "sub-old")
    auth.login("admin@example.nl")
    page = client.get(PAGE).get_data(as_text=True)
    assert "niet ingesteld" in page and "coord1@example.nl" in page and "sub-old" in page
    response = _unbind(client, w.coordinator.id)
    assert response.status_code == 302
    assert db.session.scalar(select(OidcIdentity)) is None
    assert "Nog niemand" in client.get(PAGE).get_data(as_text=True)


def test_unbinding_is_audited_and_ends_the_users_sessions(app, client, auth):
    w = factories.world()
    _bind(w.coordinator, "sub-anna")
    coordinator = app.test_client()
    from tests.conftest import Auth

    Auth(coordinator).login("coord1@example.nl")
    assert coordinator.get("/casussen").status_code == 200
    auth.login("admin@example.nl")
    _unbind(client, w.coordinator.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.oidc_unbind"))
    assert event.actor_id == w.admin.id and event.object_id == w.coordinator.id
    assert "sub-anna" not in str(event.changes)
    assert coordinator.get("/casussen").status_code == 302  # signed out
    user = db.session.get(User, w.coordinator.id)
    assert user.role == "coordinator" and [s.code for s in user.swvs] == ["PO 27-01"]  # role and scope kept


def test_unbinding_someone_who_is_not_bound_changes_nothing(app, client, auth):
    w = factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    response = _unbind(client, w.coordinator.id)
    assert response.status_code == 302
    assert "was niet gekoppeld" in client.get(PAGE).get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.oidc_unbind")) is None


def test_unbinding_an_unknown_user_is_404(app, client, auth):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    assert client.post(f"{PAGE}/999999/ontkoppelen", data={"csrf_token": token}).status_code == 404


def test_unbinding_is_post_only(app, client, auth):
    w = factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    assert client.get(f"{PAGE}/{w.coordinator.id}/ontkoppelen").status_code == 405


# --- with the provider ----------------------------------------------------------------------------------------

class TestWithTheProvider:
    @pytest.fixture
    def app_overrides(self, provider):
        return provider.app_settings()

    def _sign_in(self, client, login: str):
        start = client.get("/login/oidc").headers["Location"]
        return client.get(ProviderBrowser().authorize(start, login))

    def test_after_unbinding_the_next_sign_in_binds_again_by_email(self, app, client, auth, provider):
        w = factories.world()
        db.session.commit()
        provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
        coordinator = app.test_client()
        self._sign_in(coordinator, "anna")
        # Her account at the provider is deleted and made again: a new sub, the same verified address.
        provider.set_accounts({"anna": account("sub-anna-new", "coord1@example.nl")})
        coordinator.post("/logout", data={"csrf_token": csrf_from(
            coordinator.get("/toegankelijkheid").get_data(as_text=True))})
        refused = self._sign_in(coordinator, "anna")
        assert refused.status_code == 403  # bound to the old sub: refused until an admin looks at it
        auth.login("admin@example.nl")
        page = client.get(PAGE).get_data(as_text=True)
        assert "sub-anna" in page and "Laatst ingelogd via de organisatie" in page
        _unbind(client, w.coordinator.id)
        assert self._sign_in(coordinator, "anna").status_code == 302
        identity = db.session.scalar(select(OidcIdentity).where(OidcIdentity.user_id == w.coordinator.id))
        assert identity.subject == "sub-anna-new"

    def test_a_binding_to_a_provider_no_longer_used_is_replaced(self, app, client, provider):
        w = factories.world()
        _bind(w.coordinator, "sub-at-the-old-provider", issuer="https://old-provider.example.nl")
        provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
        assert self._sign_in(client, "anna").status_code == 302
        identities = db.session.scalars(select(OidcIdentity)).all()
        assert [(i.issuer, i.subject) for i in identities] == [(provider.issuer, "sub-anna")]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.oidc_bind"))
        assert event.changes == {"provider_identity": ["replaced", "bound"]}
