"""gunicorn's settings for Minsheng (``gunicorn -c config/gunicorn.conf.py wsgi:app``).

The worker model is chosen from the load test (bench/load, figures in bench/README.md): on two
cores, threads in a few processes — see ``workers`` and ``threads`` below. The environment can
still change any of them (``GUNICORN_CMD_ARGS="--workers 4"`` or ``WEB_CONCURRENCY``).
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
