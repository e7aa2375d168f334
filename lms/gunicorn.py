"""gunicorn's settings for `make serve` and the Procfile: `gunicorn -c python:lms.gunicorn lms.wsgi`.

Workers: WEB_CONCURRENCY, else 2 × cores + 1 (gunicorn's own advice for synchronous workers).
Bound to HOST:PORT (0.0.0.0:8000), behind a reverse proxy that terminates HTTPS.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# A certificate ZIP or a large report export takes a while; a hung request still ends.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Fresh workers now and then: memory that a long-lived process gathers goes back. Not often: a new
# worker imports Django and Wagtail and warms up for 2–3 s of CPU, and with a worker replaced every
# minute (2,000 requests at 100 requests/s) those were the slowest 5 % of requests (bench/load.py).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# The request log comes from the application (lms.logs, JSON with the request id); gunicorn's own
# messages go to stderr.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
