"""Reminders, overdue alerts, notifications and the mail outbox."""
