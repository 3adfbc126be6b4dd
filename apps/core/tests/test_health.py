"""/healthz (liveness) and /readyz (readiness) answered in-process; the real worker and the
real server are in test_readiness_worker.py and test_production_server.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import WorkerHeartbeat
from apps.core.services import worker_heartbeat_record


def beat(*, seconds_ago: float, worker_id: str = "w1") -> None:
    now = timezone.now()
    worker_heartbeat_record(
        worker_id=worker_id,
        hostname="host",
        pid=1,
        started_at=now - timedelta(hours=1),
        now=now - timedelta(seconds=seconds_ago),
    )


def test_healthz_answers_without_asking_the_database(client, db, django_assert_num_queries):
    # Liveness must not depend on the database: an outage would otherwise have every
    # web process restarted by its supervisor, for nothing.
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_503_without_any_worker_heartbeat(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "worker": "missing"},
        "failed": ["worker"],
    }


def test_readyz_is_200_with_a_recent_beat_and_503_with_a_stale_one(client, db, settings):
    settings.SLUSS_WORKER_HEARTBEAT_MAX_AGE = 120
    beat(seconds_ago=10)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "worker": "ok"},
        "failed": [],
    }
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=121))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"


def test_the_newest_of_several_workers_counts(client, db):
    beat(seconds_ago=3600, worker_id="old")
    beat(seconds_ago=5, worker_id="new")
    assert client.get("/readyz").status_code == 200


def test_long_gone_workers_are_pruned_by_a_living_one(db):
    beat(seconds_ago=2 * 24 * 3600, worker_id="gone")
    beat(seconds_ago=0, worker_id="alive")
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_any_host_and_plain_http(client, db, settings, path):
    # Probes come from inside (a load balancer, the container runtime) with an internal
    # address as Host and without TLS; they must not be refused or redirected.
    settings.ALLOWED_HOSTS = ["sluss.example.se"]
    settings.SECURE_SSL_REDIRECT = True
    beat(seconds_ago=1)
    response = client.get(path, HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    # ...while every other page still checks the host.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_only_read(client, db, path):
    assert client.post(path).status_code == 405
    assert client.head(path).status_code in (200, 503)
