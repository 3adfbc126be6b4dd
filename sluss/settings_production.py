"""Production settings: the base settings with DEBUG off and the HTTPS hardening on.

Use with DJANGO_SETTINGS_MODULE=sluss.settings_production. Requires DJANGO_SECRET_KEY
(at least 50 random characters), ALLOWED_HOSTS and DATABASE_URL in the environment; the
base module refuses to start without a real secret key once DEBUG is off. `manage.py check
--deploy` is clean with these settings (apps/core/tests/test_security_deploy.py).
"""

import os

# DEBUG must be off before the base module computes the settings that depend on it
# (secure cookies, HSTS, the email backend).
os.environ["DJANGO_DEBUG"] = "false"

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
