"""Reminders: the rules that say when a reminder is due (pure) and the daily sweep that records and sends them.

The sweep opens alerts (thuiszitters.alerts) and queues mails (thuiszitters.mail) in the same transaction.
"""
