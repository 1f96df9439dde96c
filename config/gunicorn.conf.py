"""gunicorn settings for production (docs/deploy.md). The scheduler is a separate process, never a worker."""
import multiprocessing
import os

bind = os.environ.get("THUISZITTERS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("THUISZITTERS_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = 1
worker_class = "sync"
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Behind nginx on the same host: trust its X-Forwarded-* headers only from loopback.
forwarded_allow_ips = "127.0.0.1"
# gunicorn's highest request-line limit, so the app (MAX_ADDRESS_LENGTH, 4096) answers a long address itself.
limit_request_line = 8190
# Our own JSON request log (thuiszitters.access) replaces gunicorn's access log, which would print full URLs.
accesslog = None
errorlog = "-"
loglevel = "info"
