"""Password hashing with memory a small server can afford.

Django's Argon2 defaults (100 MiB, 8 lanes) cost about 100 MB of resident memory per
password check while it runs, so four people signing in at once on a 1 GB consortium
server would take 400 MB. OWASP's recommended minimum for Argon2id (19 MiB, two passes,
one lane; Password Storage Cheat Sheet) is the configuration used here.

The algorithm name stays "argon2": hashes made with the old parameters still verify
(the parameters are read from each hash), and Django re-hashes them with these on the
next successful sign-in, because `must_update` compares the stored parameters with
`params()`.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class SlussArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum: m=19 MiB, t=2, p=1."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
