"""Retention: closed cases are anonymised RETENTION_YEARS after closing (DOMAIN.md, Privacy)."""
