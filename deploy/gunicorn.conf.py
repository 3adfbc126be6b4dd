"""Gunicorn configuration for Sluss: `gunicorn -c deploy/gunicorn.conf.py sluss.wsgi`.

Every value can be set from the environment, so the same file serves a 1 vCPU / 1 GB
consortium server and a larger national installation (docs/deployment.md).

The defaults are for the small server: ONE worker process with a few threads (gthread).
A Sluss web process holds about 160-180 MB once warm (Django, the apps, numpy, the
embedding model, the similarity matrix); with the master and the task worker about
260-295 MB RSS (225-255 MB PSS) at rest and 300-360 MB at peak at a consortium's size
(docs/deployment.md, "Memory"), where each extra process would add another 160-180 MB
without adding a CPU to run it on; each thread adds about 5 MB under load. Threads serve
the requests that wait on the database or on a file. A bigger machine raises
WEB_CONCURRENCY (about one per CPU) and, on PostgreSQL, keeps DATABASE_POOL_MAX_SIZE at
least GUNICORN_THREADS.
"""

import os
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# --- Where and how many -------------------------------------------------------------
# Behind a reverse proxy on the same host by default; a container sets BIND=0.0.0.0:8000.
bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = _env_int("WEB_CONCURRENCY", 1)
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4)
# Not preloaded: each worker imports the app itself, which keeps the master small (about
# 25 MB instead of a full copy of the app) and lets `systemctl reload` (HUP) load new code.
preload_app = _env_bool("GUNICORN_PRELOAD", False)

# --- Time -----------------------------------------------------------------------------
# A request may run this long before its worker is killed and replaced; exports and
# imports of a large consortium take some seconds, none a minute.
timeout = _env_int("GUNICORN_TIMEOUT", 60)
# On stop or reload, requests in flight get this long to finish.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections from the reverse proxy are held this long.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# --- Recycling ------------------------------------------------------------------------
# Off by default: with one worker, each recycle would reload the app (and its in-memory
# similarity matrix) while requests queue. Set e.g. GUNICORN_MAX_REQUESTS=2000 to bound a
# slow leak; the jitter keeps several workers from restarting together.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", max(max_requests // 10, 0))

# --- Requests ---------------------------------------------------------------------------
# The proxy in front terminates TLS and sets X-Forwarded-Proto; only these addresses are
# believed (gunicorn reads FORWARDED_ALLOW_IPS itself; "*" when the proxy's address is not
# fixed, e.g. between containers, and the port is reachable by the proxy alone).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
limit_request_line = 8190
limit_request_fields = 100

# --- Files --------------------------------------------------------------------------------
# The workers' heartbeat files in memory rather than on a disk that may be slow or
# read-only (systemd's ProtectSystem, a read-only container).
_shm = Path("/dev/shm")  # noqa: S108 (a location, not a temporary file name)
if _shm.is_dir() and os.access(_shm, os.W_OK):
    worker_tmp_dir = str(_shm)
# No control socket: nothing here uses gunicornc, and its default place ($HOME) is not
# writable under the systemd hardening.
control_socket_disable = True

# --- Logs -------------------------------------------------------------------------------
# No access log: the application logs each request itself (apps/core/logs.py), with its
# id and with private-link tokens masked, which a raw access log would show in full.
accesslog = None
# Gunicorn's own messages (start, stop, worker timeouts) to standard error, as JSON when
# the application logs JSON (LOG_FORMAT=json, the production default).
_json = os.environ.get("LOG_FORMAT", "json").strip().lower() == "json"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, whatever the process's time zone.
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if _json else "text",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        # Silenced explicitly: with a logging config gunicorn would log access lines.
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
    "root": {"level": "INFO", "handlers": []},
}
