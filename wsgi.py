"""WSGI entry point: ``gunicorn wsgi:app`` and ``flask --app wsgi ...``."""

import gc

from core.app import create_app

app = create_app()
# The objects built so far (modules, mappers, templates) live as long as the process: moved out
# of the collector's reach, a full collection no longer walks them and stalls a request for
# 100 ms and more.
gc.collect()
gc.freeze()
