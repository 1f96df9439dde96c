"""Users, roles, scopes, login and API tokens."""
