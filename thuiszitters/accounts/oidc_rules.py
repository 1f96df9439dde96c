"""Sign-in through the organisation: who gets in, and whether the provider asked a second factor. Pure rules.

The provider proves who someone is; this app still decides who may come in. Only an account an admin made, and
only while it is active. The first sign-in matches the provider's verified e-mail address to an account and binds
the provider's ``sub`` to it; from then on only that ``sub`` finds the account. So a person whose e-mail address
changes at the provider keeps their own account, and an address that is changed to someone else's at the provider
cannot take theirs over (an account already bound to another ``sub`` is refused, not re-bound).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thuiszitters.errors import DomainError


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in through the provider was refused: the HTTP status and what the person reads (Dutch)."""

    status: int
    title: str
    detail: str
    # Whether trying again through the provider can help (the page then offers it).
    retry: bool = True


_START_AGAIN = "Begin opnieuw met inloggen. Lukt het niet, log dan in met uw e-mailadres en wachtwoord."

# Every refusal, by the reason code that the log line carries (the log line carries nothing else about the person).
REFUSALS: dict[str, Refusal] = {
    "provider_unreachable": Refusal(
        503, "Uw organisatie is niet bereikbaar",
        "De inlogdienst van uw organisatie reageert nu niet. Probeer het over een paar minuten opnieuw, of log in "
        "met uw e-mailadres en wachtwoord."),
    "provider_misconfigured": Refusal(
        502, "Inloggen via uw organisatie is niet goed ingesteld",
        "De inlogdienst van uw organisatie gaf een antwoord dat Thuiszitters niet kan gebruiken. Meld dit bij de "
        "functioneel beheerder; log intussen in met uw e-mailadres en wachtwoord.", retry=False),
    "provider_error": Refusal(
        400, "Inloggen bij uw organisatie is niet gelukt",
        "Uw organisatie heeft het inloggen afgebroken of geweigerd. " + _START_AGAIN),
    "invalid_callback": Refusal(
        400, "Deze inlogpoging is niet geldig",
        "De inlogpoging is verlopen, al gebruikt of niet in deze browser begonnen. " + _START_AGAIN),
    "code_refused": Refusal(
        400, "Deze inlogpoging is niet geldig",
        "Uw organisatie heeft de inlogpoging niet bevestigd: zij was verlopen of al gebruikt. " + _START_AGAIN),
    "id_token_invalid": Refusal(
        400, "Het antwoord van uw organisatie is niet betrouwbaar",
        "Thuiszitters kon niet vaststellen dat het antwoord van uw organisatie echt en voor Thuiszitters bedoeld "
        "is. U bent niet ingelogd. " + _START_AGAIN),
    "email_unverified": Refusal(
        403, "Uw e-mailadres is niet bevestigd",
        "Uw organisatie heeft geen bevestigd e-mailadres van u doorgegeven, dus Thuiszitters kan u niet aan een "
        "account koppelen. Vraag de functioneel beheerder om hulp.", retry=False),
    "unknown_account": Refusal(
        403, "Geen account in Thuiszitters",
        "Er is in Thuiszitters geen account voor u. Een functioneel beheerder maakt accounts aan; vraag het de "
        "beheerder van uw samenwerkingsverband of gemeente.", retry=False),
    "account_bound_elsewhere": Refusal(
        403, "Dit account hoort bij iemand anders bij uw organisatie",
        "Het account in Thuiszitters met uw e-mailadres is al gekoppeld aan een ander account bij uw organisatie. "
        "Vraag de functioneel beheerder de koppeling te controleren.", retry=False),
    "account_deactivated": Refusal(
        403, "Uw account is gedeactiveerd",
        "Uw account in Thuiszitters is gedeactiveerd. Vraag de functioneel beheerder om het weer te activeren.",
        retry=False),
}


class SignInRefused(DomainError):
    """A sign-in through the provider that lets nobody in. ``reason`` is a key of REFUSALS; ``log_detail`` adds
    protocol facts for the log (an error code, a claim name, an exception type), never personal data."""

    def __init__(self, reason: str, log_detail: str = "") -> None:
        refusal = REFUSALS[reason]
        super().__init__(refusal.detail)
        self.reason = reason
        self.refusal = refusal
        self.status = refusal.status
        self.title = refusal.title
        self.log_detail = log_detail


@dataclass(frozen=True)
class AccountFacts:
    """What the rules need to know about one account."""

    user_id: int
    active: bool
    # The account is bound to some ``sub`` of the configured issuer (which one does not matter here).
    bound: bool


@dataclass(frozen=True)
class Admission:
    """A sign-in that may proceed: to this account, binding the provider's identity to it when ``bind``."""

    user_id: int
    bind: bool


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def email_is_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail address.

    ``email_verified`` as OpenID Connect defines it. Microsoft Entra ID does not send that claim; it can send
    ``xms_edov`` (the e-mail domain's owner verified the address), which counts only when ``email_verified`` is
    absent: an explicit ``email_verified: false`` always refuses.
    """
    if "email_verified" in claims:
        return _true(claims["email_verified"])
    return _true(claims.get("xms_edov"))


def verified_email(claims: Mapping[str, Any]) -> str | None:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or not email_is_verified(claims):
        return None
    return email.strip()


def provider_asked_second_factor(claims: Mapping[str, Any], accepted_acr: frozenset[str]) -> bool:
    """True when the ID token says a second factor was used: "mfa" in ``amr`` (RFC 8176), or an ``acr`` that the
    deployment configured as meaning so (THUISZITTERS_OIDC_MFA_ACR)."""
    amr = claims.get("amr")
    if isinstance(amr, list) and "mfa" in amr:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in accepted_acr


def admit(*, bound: AccountFacts | None, by_email: AccountFacts | None, email_verified: bool) -> Admission:
    """Decide a sign-in. ``bound``: the account the provider's ``sub`` is bound to, if any. ``by_email``: the
    account whose address equals the provider's e-mail address (looked up only when no account is bound).

    Raises SignInRefused; nothing is ever created here.
    """
    if bound is not None:
        if not bound.active:
            raise SignInRefused("account_deactivated")
        return Admission(bound.user_id, bind=False)
    if not email_verified:
        raise SignInRefused("email_unverified")
    if by_email is None:
        raise SignInRefused("unknown_account")
    if by_email.bound:
        raise SignInRefused("account_bound_elsewhere")
    if not by_email.active:
        raise SignInRefused("account_deactivated")
    return Admission(by_email.user_id, bind=True)
