"""Gunicorn configuration for Sluss: `gunicorn -c deploy/gunicorn.conf.py sluss.wsgi`.

Every value can be set from the environment, so the same file serves a 1 vCPU / 1 GB
consortium server and a larger national installation.
"""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
