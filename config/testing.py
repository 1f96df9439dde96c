"""Overrides for the test suite. The database URL comes from the test fixtures."""

ENV = "testing"
TESTING = True
SECRET_KEY = "testing-secret"
FIXED_TODAY = "2026-11-02"
INSPECTIE_KEY = "testing-inspectie-key"
BASE_URL = "http://thuiszitters.test"
WTF_CSRF_ENABLED = True
# argon2 defaults are deliberately slow; tests use cheap parameters.
PASSWORD_HASH_FAST = True
