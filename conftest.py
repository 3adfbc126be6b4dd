"""Shared fixtures: a small consortium with two municipalities and one person per role."""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from apps.core import testing
from apps.organisations.models import Organisation, Role

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason="Browser tests need /usr/bin/chromium (apt-get install chromium)."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    # test_login.py checks the production setting with argon2 itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@dataclass
class World:
    consortium: Organisation
    skovde: Organisation
    hjo: Organisation
    skovde_unit: Organisation
    coach: object
    other_coach: object
    process_leader: object
    communicator: object
    administrator: object
    manager: object
    employee: object


@pytest.fixture
def world(db) -> World:
    consortium = testing.make_consortium()
    skovde = testing.make_municipality(consortium, "Skövde", 4500)
    hjo = testing.make_municipality(consortium, "Hjo", 800)
    unit = testing.make_unit(skovde, "Vård och omsorg")
    return World(
        consortium=consortium,
        skovde=skovde,
        hjo=hjo,
        skovde_unit=unit,
        coach=testing.make_user("Cecilia Coach", (Role.COACH, skovde), email="coach@skovde.se"),
        other_coach=testing.make_user("Olle Hjo", (Role.COACH, hjo), email="coach@hjo.se"),
        process_leader=testing.make_user(
            "Petra Process", (Role.PROCESS_LEADER, consortium), email="pl@skaraborg.se"
        ),
        communicator=testing.make_user(
            "Kim Kommunikatör", (Role.COMMUNICATOR, consortium), email="kom@skaraborg.se"
        ),
        administrator=testing.make_user(
            "Adam Admin", (Role.ADMINISTRATOR, consortium), email="admin@skaraborg.se"
        ),
        manager=testing.make_user("Maja Chef", (Role.MANAGER, unit), email="chef@skovde.se"),
        employee=testing.make_user("Erik Anställd", email="erik@skovde.se"),
    )


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
