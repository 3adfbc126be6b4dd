"""Private links: the one construction behind every link that opens something without an
account (the submitter's page, a referral, a meeting answer, a calendar feed).

A token is an HMAC-SHA256 of a random 128-bit salt under the secret key, for one named
purpose, so no token opens anything but what it was made for. The database keeps only
the salt and the token's SHA-256 hash: a copy of it opens nothing, yet every email can
carry the link again. Rotating SECRET_KEY invalidates every link.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_link_salt() -> str:
    """128 bits of randomness, as hex."""
    return secrets.token_hex(16)


def link_token(*, purpose: str, salt: str) -> str:
    """The token of a link for `purpose` ("submitter-link", "referral-link", …)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_token(token: str) -> str:
    """Links are looked up by the SHA-256 hash of their token."""
    return hashlib.sha256(token.encode()).hexdigest()
