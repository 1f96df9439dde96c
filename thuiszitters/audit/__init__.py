"""The append-only audit trail and processing log."""
