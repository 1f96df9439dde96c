"""Dashboards: counts and charts per role (coordinator, leerplicht, inspectie)."""
