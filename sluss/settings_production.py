"""Production settings: the base settings with DEBUG off and the HTTPS hardening on.

Use with DJANGO_SETTINGS_MODULE=sluss.settings_production. Requires DJANGO_SECRET_KEY
(at least 50 random characters), ALLOWED_HOSTS and DATABASE_URL in the environment; the
base module refuses to start without a real secret key once DEBUG is off. `manage.py check
--deploy` is clean with these settings (apps/core/tests/test_security_deploy.py). Static
files must be collected first (`manage.py collectstatic`): pages name their hashed copies.
See docs/deployment.md.
"""

import os

# DEBUG must be off before the base module computes the settings that depend on it
# (secure cookies, HSTS, the email backend).
os.environ["DJANGO_DEBUG"] = "false"
# Production defaults the base module reads from the environment; each can still be set.
# JSON logs, one object per line, for the journal or a log collector.
os.environ.setdefault("LOG_FORMAT", "json")
# Keep database connections: a pool per process on PostgreSQL (the gthread threads of a
# gunicorn worker share it), else persistent connections checked before reuse.
os.environ.setdefault("DATABASE_POOL", "true")
os.environ.setdefault("CONN_MAX_AGE", "60")
os.environ.setdefault("CONN_HEALTH_CHECKS", "true")

from .settings import *  # noqa: F403

DEBUG = False
# The service runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload list only takes a registrable domain that asks for it itself; the flag on
# the service's own host (e.g. sluss.<association>.se) commits nothing beyond it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Static files: hashed names (cached for a year by browsers and proxies) and pre-compressed
# copies, written by collectstatic and served by WhiteNoise.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
