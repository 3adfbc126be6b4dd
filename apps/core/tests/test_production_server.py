"""The production server for real: gunicorn with deploy/gunicorn.conf.py and the
production settings, after collectstatic, in a separate process.

It checks what only the whole stack shows: WhiteNoise serves the hashed, compressed
static files with a year's caching and the security headers (CSP included); the probes
answer plain HTTP with an internal Host while other pages keep the host check; /readyz
names a database that does not answer while /healthz stays 200; every line the server
writes to standard error is one JSON object; each request is logged once with its id,
status and duration, and a private-link token appears nowhere in the log.
"""

import gzip
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

HOST = "sluss.example.se"
TOKEN = "Sekret-" + secrets.token_urlsafe(16)  # looks like a private link's token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(base: str, path: str, *, host: str = HOST, **headers: str):
    """(status, headers, body) of a GET as the TLS proxy in front would send it."""
    request = urllib.request.Request(  # noqa: S310 (our own server on 127.0.0.1)
        base + path, headers={"Host": host, "X-Forwarded-Proto": "https", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "LOG_", "DATABASE_", "CONN_"))
    }
    port = free_port()
    env.update(
        DJANGO_SETTINGS_MODULE="sluss.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS=HOST,
        SLUSS_VAR_DIR=str(var),
        # A database that cannot be opened: readiness must say so, liveness must not care.
        DATABASE_URL=f"sqlite:///{var / 'missing' / 'sluss.sqlite3'}",
        BIND=f"127.0.0.1:{port}",
        SLUSS_SEMANTIC_SEARCH="false",
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    log = (var / "gunicorn.err").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "sluss.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if get(base, "/healthz", host="127.0.0.1")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None, (var / "gunicorn.err").read_text()
        assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
        time.sleep(0.5)
    yield base, var, env
    process.terminate()
    process.wait(timeout=60)
    log.close()


def manifest(var: Path) -> dict[str, str]:
    return json.loads((var / "staticfiles" / "staticfiles.json").read_text())["paths"]


def test_hashed_static_files_are_compressed_and_cached_for_a_year(server):
    base, var, _env = server
    hashed = manifest(var)["css/sluss.css"]
    assert hashed != "css/sluss.css"
    status, headers, body = get(base, f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    cache = headers["Cache-Control"]
    assert "immutable" in cache and "max-age=315360000" in cache
    assert headers["Content-Type"].startswith("text/css")
    assert b"{" in gzip.decompress(body)  # really the stylesheet, compressed
    # The same headers as every page: the CSP holds for static answers too.
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    # Unhashed names may change under the same name: cached briefly only.
    status, headers, _ = get(base, "/static/css/sluss.css")
    assert status == 200
    assert "immutable" not in headers["Cache-Control"]


def test_probes_answer_plain_http_from_inside_and_other_pages_check_the_host(server):
    base, _var, _env = server
    status, _, body = get(base, "/healthz", host="10.1.2.3:8000")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, _, body = get(base, "/readyz", host="10.1.2.3:8000")
    assert status == 503
    assert json.loads(body) == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "worker": "unknown"},
        "failed": ["database", "worker"],
    }
    assert get(base, "/accessibility/", host="10.1.2.3:8000")[0] == 400


def test_the_log_is_json_lines_with_one_masked_record_per_request(server):
    base, var, _env = server
    request_id = "probe-" + secrets.token_hex(4)
    # The submitter's private page, while the database is down: an error, logged.
    status, headers, _ = get(base, f"/follow/{TOKEN}/", **{"X-Request-ID": request_id})
    assert status == 500
    assert headers["X-Request-ID"] == request_id
    time.sleep(0.5)
    lines = [line for line in (var / "gunicorn.err").read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["logger"] == "gunicorn.error" for r in records)  # gunicorn's own, too
    requests = [r for r in records if r["logger"] == "sluss.request"]
    mine = [r for r in requests if r.get("request_id") == request_id]
    assert len(mine) == 1
    assert mine[0]["path"] == "/follow/[token]/"
    assert mine[0]["status"] == 500
    assert mine[0]["method"] == "GET"
    assert isinstance(mine[0]["duration_ms"], float)
    # Django's error record of the same request carries its id, and its path masked.
    errors = [r for r in records if r["logger"] == "django.request"]
    assert any(r.get("request_id") == request_id for r in errors)
    # The token is nowhere in the log, in no record, traceback or access line.
    assert TOKEN not in "\n".join(lines)
    # Probes are not logged as requests (one every few seconds would drown the rest).
    assert not [r for r in requests if r["path"] in ("/healthz", "/readyz")]


def test_the_container_health_check_asks_healthz(server):
    _base, var, env = server
    check = [sys.executable, "deploy/healthcheck.py"]
    web = {**env, "SLUSS_PROCESS_FILE": str(var / "no-such-file")}  # the default: web
    result = subprocess.run(check, cwd=settings.BASE_DIR, env=web, capture_output=True)  # noqa: S603
    assert result.returncode == 0, result.stdout
    elsewhere = {**web, "BIND": f"127.0.0.1:{free_port()}"}  # nothing listens there
    result = subprocess.run(check, cwd=settings.BASE_DIR, env=elsewhere, capture_output=True)  # noqa: S603
    assert result.returncode == 1
