"""An offline check against commonly used passwords (no network, no third party)."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_LIST = Path(__file__).with_name("common_passwords.txt")


@cache
def _common() -> frozenset[str]:
    words = (line.strip().lower() for line in _LIST.read_text(encoding="utf-8").splitlines())
    return frozenset(word for word in words if word and not word.startswith("#"))


def _normalise(password: str) -> str:
    # "Wachtwoord2024!" is as weak as "wachtwoord": strip trailing digits and symbols before the lookup.
    return re.sub(r"[\d\W_]+$", "", password.lower())


def is_common(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) <= 2:
        return True
    return lowered in _common() or _normalise(password) in _common()
