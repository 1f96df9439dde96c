"""clock.frozen_at: history written at the moment it happened, then the clock runs again."""
from datetime import UTC, date, datetime

import pytest

from thuiszitters import clock


def test_frozen_at_stops_the_clock_at_a_moment_and_lets_it_run_afterwards():
    moment = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam, still 2 March
    before = clock.now_utc()
    with clock.frozen_at(moment):
        assert clock.now_utc() == moment
        assert clock.today() == date(2026, 3, 2)
        with clock.frozen_at(datetime(2026, 3, 3, 8, 0, tzinfo=UTC)):
            assert clock.today() == date(2026, 3, 3)
        assert clock.now_utc() == moment
    assert clock.now_utc() >= before  # running again


def test_frozen_at_refuses_a_naive_moment():
    with pytest.raises(ValueError, match="aware"), clock.frozen_at(datetime(2026, 3, 2, 9, 0)):
        pass
