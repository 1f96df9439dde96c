"""Forms every area's pages use."""
from __future__ import annotations

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons (logout, revoke, retry)."""
