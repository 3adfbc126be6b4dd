"""The worker links its e-mails against the pages' URL conf, without the API and the admin
(sluss.page_urls): the same links as the web process's, without importing ninja and
pydantic into a process that never serves them."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import get_resolver, get_urlconf, resolve, reverse
from django_tasks.signals import task_started

from apps.core import testing
from apps.core.management.commands.worker import WORKER_URLCONF

PROBE = """
import json, sys
import django
django.setup()
from django.urls import reverse
reverse("core:home", urlconf=sys.argv[1])
print(json.dumps(sorted(m for m in ("ninja", "pydantic") if m in sys.modules)))
"""


@pytest.mark.parametrize(
    ("urlconf", "imported"),
    [(WORKER_URLCONF, []), (settings.ROOT_URLCONF, ["ninja", "pydantic"])],
)
def test_the_worker_url_conf_does_not_import_the_api(urlconf, imported):
    # A fresh interpreter: this one imported everything long ago.
    result = subprocess.run(  # noqa: S603 (our own interpreter and probe)
        [sys.executable, "-c", PROBE, urlconf],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.splitlines()[-1]) == imported


def test_every_page_reverses_alike_in_both_url_confs():
    names = set(_named(get_resolver(WORKER_URLCONF)))
    assert {"core:home", "ideas:detail", "healthz"} <= names
    full = set(_named(get_resolver(settings.ROOT_URLCONF)))
    assert names <= full
    for name in ("core:home", "healthz", "accessibility_report"):
        if name in names:
            assert reverse(name, urlconf=WORKER_URLCONF) == reverse(name)
    assert {name for name in full - names if not name.startswith(("api", "admin"))} == set()


def _named(resolver, prefix=""):
    """The namespaced name of every named pattern below `resolver`."""
    for name in resolver.reverse_dict:
        if isinstance(name, str):  # the dict also keys patterns by their view
            yield f"{prefix}{name}"
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        yield from _named(sub, f"{prefix}{namespace}:")


def test_the_worker_sends_e_mails_with_links_to_the_pages(transactional_db, world):
    testing.submit_idea(world.skovde, submitter_email="ida@example.se")
    mail.outbox.clear()
    urlconf_of_tasks = []

    def note_urlconf(**_kwargs):
        urlconf_of_tasks.append(get_urlconf())

    task_started.connect(note_urlconf)
    try:
        call_command(
            "worker", "--batch", "--no-startup-delay", "--heartbeat-interval", "60", verbosity=0
        )
    finally:
        task_started.disconnect(note_urlconf)
    assert urlconf_of_tasks and set(urlconf_of_tasks) == {WORKER_URLCONF}
    assert get_urlconf() is None, "the test's thread is left as it was"
    (receipt,) = [message for message in mail.outbox if message.to == ["ida@example.se"]]
    links = [word for word in receipt.body.split() if word.startswith("http")]
    assert links
    for link in links:
        path = "/" + link.split("/", 3)[3]
        assert resolve(path.split("?")[0]).view_name
    assert reverse("core:home") == "/"
