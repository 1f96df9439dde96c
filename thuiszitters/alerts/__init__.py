"""Alerts: the leerplicht review queue of overdue alerts, and every user's notifications.

The reminder sweep (thuiszitters.reminders) opens alerts and writes notifications; this area shows them and lets
the leerplicht acknowledge an alert.
"""
