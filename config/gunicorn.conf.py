"""gunicorn's settings for Minsheng (``gunicorn -c config/gunicorn.conf.py wsgi:app``).

The worker model is chosen from the load test (bench/load, figures in bench/README.md): on two
cores 2 processes × 4 threads saturate at the same ~61 requests/s as 5 sync processes and serve
50 clerks at p95 97 ms; a slow request (a directory at its timeout, a long export) then holds one
of eight threads, not one of five processes. ``WEB_CONCURRENCY`` sets the processes (the number
of cores); ``GUNICORN_CMD_ARGS`` can change anything else.
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4
# URLs up to 8190 reach the app, which answers long ones (over 4096) in the route's own style
# (JSON on the API) instead of gunicorn's plain 414.
limit_request_line = 8190
accesslog = "-"
# A registration waiting for a row lock, or a PDF, is not a hung worker.
timeout = 60
graceful_timeout = 20


def post_worker_init(worker):
    """Load fonts and holiday data before the first request, not during it."""
    from core.app import warm_up

    warm_up(worker.wsgi)
