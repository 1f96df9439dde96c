"""What pages show of the reminders themselves: the ones the sweep found too late to send (no routes of its own).

The case page's alert section (templates/alerts/_case_alerts.html) lists them; alerts sits below reminders in the
dependency order, so the query and the rule names are offered to the templates from here.
"""
from __future__ import annotations

from flask import Blueprint

from thuiszitters.reminders import rules, services
from thuiszitters.reminders.models import Reminder

bp = Blueprint("reminders", __name__)


@bp.app_template_global("missed_reminders")
def missed_reminders(case_id: int) -> list[Reminder]:
    """For the case page (the caller already loaded the case via get_visible_case)."""
    return services.missed_reminders(case_id)


@bp.app_template_global("reminder_rule_label")
def reminder_rule_label(rule: str) -> str:
    return rules.RULE_LABELS.get(rule, rule)
