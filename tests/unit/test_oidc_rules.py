"""Who may sign in through the organisation, and when the provider's second factor counts: the pure rules."""
import pytest

from thuiszitters.accounts.oidc_rules import (
    REFUSALS,
    AccountFacts,
    Admission,
    SignInRefused,
    admit,
    email_is_verified,
    provider_asked_second_factor,
    verified_email,
)

ACTIVE = AccountFacts(user_id=7, active=True, bound=False)


def _reason(**kwargs) -> str:
    with pytest.raises(SignInRefused) as refused:
        admit(**kwargs)
    return refused.value.reason


def test_a_bound_sub_signs_in_to_its_account_whatever_the_email_says():
    bound = AccountFacts(user_id=3, active=True, bound=True)
    assert admit(bound=bound, by_email=None, email_verified=False) == Admission(3, bind=False)


def test_a_bound_but_deactivated_account_is_refused():
    assert _reason(bound=AccountFacts(3, False, True), by_email=None, email_verified=True) == "account_deactivated"


def test_the_first_sign_in_binds_the_account_with_the_verified_address():
    assert admit(bound=None, by_email=ACTIVE, email_verified=True) == Admission(7, bind=True)


@pytest.mark.parametrize(("by_email", "verified", "reason"), [
    (ACTIVE, False, "email_unverified"),                                  # checked before the address is used
    (None, True, "unknown_account"),                                      # nothing is created
    (AccountFacts(7, True, bound=True), True, "account_bound_elsewhere"), # no take-over by a changed address
    (AccountFacts(7, False, bound=False), True, "account_deactivated"),
])
def test_first_sign_ins_that_are_refused(by_email, verified, reason):
    assert _reason(bound=None, by_email=by_email, email_verified=verified) == reason


@pytest.mark.parametrize(("claims", "verified"), [
    ({"email_verified": True}, True),
    ({"email_verified": "true"}, True),
    ({"email_verified": False}, False),
    ({"email_verified": "false"}, False),
    ({"email_verified": 1}, False),
    ({}, False),
    ({"xms_edov": True}, True),                             # Entra ID: the domain's owner verified the address
    ({"email_verified": False, "xms_edov": True}, False),   # an explicit "not verified" always wins
])
def test_which_claims_vouch_for_the_email_address(claims, verified):
    assert email_is_verified(claims) is verified


def test_the_verified_address_needs_an_address_and_the_verification():
    assert verified_email({"email": " a@example.nl ", "email_verified": True}) == "a@example.nl"
    assert verified_email({"email": "a@example.nl", "email_verified": False}) is None
    assert verified_email({"email": "not-an-address", "email_verified": True}) is None
    assert verified_email({"email": ["a@example.nl"], "email_verified": True}) is None


ACR = frozenset({"urn:test:loa:2", "http://schemas.openid.net/pape/policies/2007/06/multi-factor"})


@pytest.mark.parametrize(("claims", "asked"), [
    ({"amr": ["pwd", "mfa"]}, True),
    ({"amr": ["pwd"]}, False),
    ({"amr": ["pwd", "otp"]}, False),    # only "mfa" (RFC 8176) says a second factor was used
    ({"amr": "mfa"}, False),             # amr is a list
    ({"acr": "urn:test:loa:2"}, True),
    ({"acr": "urn:test:loa:1"}, False),
    ({"acr": "urn:test:loa:2", "amr": ["pwd"]}, True),
    ({}, False),
])
def test_when_the_providers_second_factor_counts(claims, asked):
    assert provider_asked_second_factor(claims, ACR) is asked


def test_no_acr_counts_when_none_is_configured():
    assert provider_asked_second_factor({"acr": "urn:test:loa:2"}, frozenset()) is False


def test_every_refusal_has_a_dutch_page_and_a_fitting_status():
    for reason, refusal in REFUSALS.items():
        assert refusal.title and refusal.detail.endswith("."), reason
        assert refusal.status in (400, 403, 502, 503), reason
        assert SignInRefused(reason).status == refusal.status
