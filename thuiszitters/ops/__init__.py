"""Running the service outside web requests: what every command and scheduled job shares, and what they leave.

`commands.py` (a Dutch error and exit 1, strict date options) and `schedule.py` (`JobSpec`: when a job runs) are
used by every area's `cli.py` and `jobs.py`; `locks.py` serialises work across processes (the audit chain, login
throttling, the reminder sweep); `models.py` holds the job lock rows and the scheduler's heartbeat, which /healthz
reads; `backup.py` is `flask backup`. The lowest area: it imports only the core.
"""
