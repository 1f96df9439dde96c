"""Imports every model so the metadata (and Alembic) sees the whole schema."""
from thuiszitters.accounts.models import (
    ApiToken,
    LoginAttempt,
    OidcIdentity,
    User,
    UserSession,
    user_gemeente,
    user_swv,
)
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.exports.models import ExportFile, ExportRun
from thuiszitters.reference.models import Gemeente, School, Swv
from thuiszitters.reminders.models import Alert, Notification, OutboxMessage, Reminder, SchedulerState

__all__ = [
    "Alert",
    "ApiToken",
    "AuditEvent",
    "Case",
    "ExportFile",
    "ExportRun",
    "Gemeente",
    "LoginAttempt",
    "Notification",
    "OidcIdentity",
    "OutboxMessage",
    "Pupil",
    "Reminder",
    "SchedulerState",
    "School",
    "Step",
    "Swv",
    "User",
    "UserSession",
    "user_gemeente",
    "user_swv",
]
