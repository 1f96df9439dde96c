"""Each kind of serialised write has its own PostgreSQL advisory lock key."""
from thuiszitters.ops import locks


def test_every_lock_has_its_own_key():
    # The sweep shared the login throttle's key: a long sweep held every login on PostgreSQL until it committed.
    assert len(set(locks.LOCK_KEYS)) == len(locks.LOCK_KEYS)
    assert {name for name, value in vars(locks).items() if isinstance(value, int) and name.isupper()} \
        == {"AUDIT_CHAIN", "LOGIN_THROTTLE", "REMINDER_SWEEP"}
