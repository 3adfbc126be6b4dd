"""`manage.py check --deploy` is clean with the production settings (issue 7, item 4)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def run_check(tmp_path: Path, **extra_env: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sluss.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="sluss.example.se",
        SLUSS_VAR_DIR=str(tmp_path),
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_would_notice_a_weak_setting(tmp_path):
    # The test above could pass vacuously if the check never saw the settings; turning
    # the HTTPS redirect off must make it complain.
    result = run_check(tmp_path, SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="sluss.settings_production", SLUSS_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_cookies_and_hsts(tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS)"
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sluss.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        SLUSS_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "31536000",
    ], result.stderr


# --- Production database connections (issue 8): kept by the ops work ----------------------

SETTINGS_SCRIPT = (
    "import json; from django.conf import settings as s; d = s.DATABASES['default'];"
    "print(json.dumps({'engine': d['ENGINE'], 'max_age': d['CONN_MAX_AGE'],"
    " 'health': d['CONN_HEALTH_CHECKS'], 'options': d.get('OPTIONS', {}),"
    " 'storage': s.STORAGES['staticfiles']['BACKEND'], 'log': s.LOG_FORMAT}))"
)


def production_settings(tmp_path: Path, **extra_env: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CONN_", "LOG_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sluss.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        SLUSS_VAR_DIR=str(tmp_path),
        **extra_env,
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SETTINGS_SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_pools_postgresql_connections_by_default(tmp_path):
    found = production_settings(tmp_path, DATABASE_URL="postgres://sluss@db.internal:5432/sluss")
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["options"]["pool"]["max_size"] >= 4  # at least gunicorn's default threads
    assert found["options"]["connect_timeout"] == 5
    assert found["max_age"] == 0  # the pool replaces persistent connections
    assert found["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert found["log"] == "json"


def test_production_keeps_connections_without_the_pool(tmp_path):
    found = production_settings(
        tmp_path, DATABASE_URL="postgres://sluss@db.internal:5432/sluss", DATABASE_POOL="false"
    )
    assert "pool" not in found["options"]
    assert (found["max_age"], found["health"]) == (60, True)
    sqlite = production_settings(tmp_path)
    assert sqlite["engine"] == "django.db.backends.sqlite3"
    assert (sqlite["max_age"], sqlite["health"]) == (60, True)


def test_check_deploy_is_clean_on_postgresql_with_the_pool(tmp_path):
    result = run_check(tmp_path, DATABASE_URL="postgres://sluss@db.internal:5432/sluss")
    assert result.returncode == 0, result.stdout + result.stderr


POOL_SCRIPT = """
import json, threading
from django.db import connections
pids = []
def work():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pids.append(cursor.fetchone()[0])
    connections.close_all()  # what Django does at the end of each request
threads = [threading.Thread(target=work) for _ in range(12)]
for t in threads: t.start()
for t in threads: t.join()
pool = connections["default"].pool
print(json.dumps({"pool": pool is not None, "queries": len(pids), "backends": len(set(pids)),
                  "max_size": pool.max_size}))
"""


@pytest.mark.django_db
def test_the_pool_serves_threads_on_the_real_postgresql(tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://...)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="sluss.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        SLUSS_VAR_DIR=str(tmp_path),
        DATABASE_URL=url,
        DATABASE_POOL_MAX_SIZE="3",
    )
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", POOL_SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["queries"] == 12, result.stderr
    # Twelve threads were served by at most three server connections, shared.
    assert found == {"pool": True, "queries": 12, "backends": found["backends"], "max_size": 3}
    assert 1 <= found["backends"] <= 3
