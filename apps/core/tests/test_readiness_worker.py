"""/readyz against the REAL task worker (`manage.py worker`, a separate process) on the
test database, SQLite or PostgreSQL alike: 503 before the worker runs, 200 once it has
beaten, 503 again when its beat is stale after it stopped. The worker also runs the first
periodic-jobs task it queues at start, so its task path works on this database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.core.models import WorkerHeartbeat
from apps.core.periodic import run_periodic_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The URL of the database this test runs on (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    assert db["ENGINE"] == "django.db.backends.postgresql"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="sluss.settings",
        DATABASE_URL=database_url(),
        SLUSS_VAR_DIR=str(tmp_path),
        SLUSS_SEMANTIC_SEARCH="false",
        SLUSS_WORKER_HEARTBEAT_FILE=str(tmp_path / "heartbeat"),
    )
    processes = []

    def start():
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-startup-delay",
                "--interval",
                "0.5",
                "--heartbeat-interval",
                "0.5",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(process)
        return process

    start.env = env
    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def readyz(client):
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_readyz_follows_the_real_worker(client, settings, worker_process):
    settings.SLUSS_WORKER_HEARTBEAT_MAX_AGE = 30
    assert readyz(client) == (
        503,
        {
            "status": "unavailable",
            "checks": {"database": "ok", "worker": "missing"},
            "failed": ["worker"],
        },
    )

    worker = worker_process()
    try:
        wait_for(lambda: readyz(client)[0] == 200, timeout=90, what="the worker's first beat")
        # It keeps beating (a thread of the worker process writes the row).
        first = WorkerHeartbeat.objects.get().beat_at
        wait_for(
            lambda: WorkerHeartbeat.objects.get().beat_at > first,
            timeout=30,
            what="a second beat",
        )
        beat = WorkerHeartbeat.objects.get()
        assert beat.pid == worker.pid
        # The container's health check sees the same beats, through the file.
        assert container_healthcheck(worker_process.env, max_age=30) == 0
        # The worker also works: the periodic task it queued at start ran on this database.
        from django_tasks_db.models import DBTaskResult

        wait_for(
            lambda: DBTaskResult.objects.filter(
                task_path=run_periodic_jobs.module_path, status="SUCCESSFUL"
            ).exists(),
            timeout=60,
            what="the periodic jobs to run",
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output

    # Stopped: its last beat ages, and readiness fails once it is older than the maximum.
    assert readyz(client)[0] == 200  # not stale yet
    settings.SLUSS_WORKER_HEARTBEAT_MAX_AGE = 1.5
    stopped_at = WorkerHeartbeat.objects.get().beat_at
    wait_for(lambda: readyz(client)[0] == 503, timeout=30, what="the beat to go stale")
    status, body = readyz(client)
    assert status == 503
    assert body["checks"] == {"database": "ok", "worker": "stale"}
    assert body["failed"] == ["worker"]
    # Nobody beat meanwhile: the worker really stopped.
    assert WorkerHeartbeat.objects.get().beat_at == stopped_at
    assert container_healthcheck(worker_process.env, max_age=1.5) == 1


def container_healthcheck(env: dict, *, max_age: float) -> int:
    """deploy/healthcheck.py as the worker's container runs it."""
    role = Path(env["SLUSS_VAR_DIR"]) / "process"
    role.write_text("worker\n")
    result = subprocess.run(
        [sys.executable, "deploy/healthcheck.py"],
        cwd=settings.BASE_DIR,
        env={
            **env,
            "SLUSS_PROCESS_FILE": str(role),
            "SLUSS_WORKER_HEARTBEAT_MAX_AGE": str(max_age),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.returncode
