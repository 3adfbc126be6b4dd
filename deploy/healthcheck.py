#!/usr/bin/env python3
"""The container's health check, for the web process and the worker alike (stdlib only:
it runs every few seconds and must not start Django).

The entrypoint (deploy/container-entrypoint.sh) writes which process the container runs
to /tmp/sluss-process. The web process is healthy when it answers /healthz; the worker
when the file it touches on every heartbeat that the database took
(SLUSS_WORKER_HEARTBEAT_FILE) is younger than SLUSS_WORKER_HEARTBEAT_MAX_AGE seconds.
Exit status 0 is healthy, 1 is not.
"""

import os
import sys
import time
import urllib.request
from pathlib import Path

ROLE_FILE = Path(os.environ.get("SLUSS_PROCESS_FILE", "/tmp/sluss-process"))  # noqa: S108


def web_is_alive() -> bool:
    port = os.environ.get("BIND", "127.0.0.1:8000").rsplit(":", 1)[-1]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def worker_is_alive() -> bool:
    beat = os.environ.get("SLUSS_WORKER_HEARTBEAT_FILE", "")
    max_age = float(os.environ.get("SLUSS_WORKER_HEARTBEAT_MAX_AGE", "120"))
    try:
        return bool(beat) and time.time() - Path(beat).stat().st_mtime <= max_age
    except OSError:
        return False


def main() -> int:
    try:
        role = ROLE_FILE.read_text().strip()
    except OSError:
        role = "web"
    healthy = worker_is_alive() if role == "worker" else web_is_alive()
    print(f"{role}: {'healthy' if healthy else 'UNHEALTHY'}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
