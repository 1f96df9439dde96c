"""Forms of the review queue and the notifications page (Dutch labels and messages)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class AcknowledgeForm(FlaskForm):
    note = TextAreaField(
        "Notitie",
        description="Wat heeft u gedaan of besloten? Verplicht.",
        validators=[DataRequired("Vul een notitie in: wat heeft u gedaan of besloten?"),
                    Length(max=2000, message="De notitie is te lang (ten hoogste 2000 tekens).")],
    )


class MarkReadForm(FlaskForm):
    """Only the CSRF token."""
