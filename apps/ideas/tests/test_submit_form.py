"""The public idea form (/submit/) with bad input, held files and double submits.

An employee with a phone and no training must never lose what they typed: every error
re-renders the form (200) with an error summary linking to each field, in Swedish, with
all values still filled in, and files that passed their checks kept for the next try.
"""

import html
import re
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from apps.ideas.models import Attachment, Idea
from apps.notifications.models import OutboxEmail

SUBMIT = "/submit/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _form(world, **changes) -> dict:
    """A complete, valid submission; tests spoil one part of it at a time."""
    data = {
        "title": "Webbaserad föräldrautbildning",
        "need": "Föräldrar saknar stöd när barnen mår psykiskt dåligt.",
        "solution": "En kurs på nätet som föräldrar går i sin egen takt.",
        "beneficiaries": "Föräldrar och barn i årskurs 4–9.",
        "expected_effects": "Färre orosanmälningar och tryggare föräldrar.",
        "municipality": str(world.skovde.pk),
        "unit": str(world.skovde_unit.pk),
        "workplace": "Norrmalmsskolan",
        "submitter_name": "Åsa Öberg",
        "submitter_email": "asa.oberg@skovde.se",
        "submitter_phone": "0500-49 80 00",
        "co_submitter_names": "Anna Andersson anna.andersson@skovde.se",
        "consent_to_publish": "on",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def _pdf(name: str = "underlag.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _png(name: str = "skiss.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _swedish(message: str) -> str:
    """A message as a Swedish page shows it, translated or not yet translated."""
    with translation.override("sv"):
        return gettext(message)


def _assert_rerendered(response, fields: list[str]) -> str:
    """The form came back (not a server error, not a redirect) with an error summary
    that links to each field in error, in a Swedish page."""
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="sv">' in page
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary, "no error summary"
    assert html.escape(_swedish("There is a problem")) in summary.group(0)
    for field in fields:
        assert f'href="#id_{field}"' in summary.group(0), f"no link to {field}"
        assert f'id="id_{field}_error"' in page, f"no message at {field}"
    assert 'aria-invalid="true"' in page
    linked = set(re.findall(r'href="#id_(\w+)"', summary.group(0)))
    assert linked == set(fields)
    return page


def _assert_kept(page: str, data: dict, skip: tuple[str, ...] = ()) -> None:
    """Everything typed is still in the form."""
    for name in (
        "title",
        "need",
        "solution",
        "beneficiaries",
        "expected_effects",
        "workplace",
        "submitter_name",
        "submitter_email",
        "submitter_phone",
        "co_submitter_names",
    ):
        if name in skip or not data[name]:
            continue
        assert html.escape(data[name]) in page, f"{name} was lost"
    if data["municipality"]:
        assert re.search(rf'<option value="{data["municipality"]}" selected>', page)
    if data["unit"]:
        assert re.search(rf'<option value="{data["unit"]}" selected>', page)
    if data.get("consent_to_publish"):
        assert re.search(r'name="consent_to_publish"[^>]*checked', page)
    assert f'value="{data["submission_token"]}"' in page


def test_missing_required_fields_are_named_in_swedish_and_nothing_else_is_lost(world, client):
    data = _form(world, title="", need="", solution="", municipality="", unit="", submitter_name="")
    response = client.post(SUBMIT, data)
    page = _assert_rerendered(
        response, ["title", "need", "solution", "municipality", "submitter_name"]
    )
    # Django's own Swedish message: the page really is in Swedish.
    assert "Detta fält måste fyllas i." in page
    assert html.escape(_swedish("Choose the municipality where you work.")) in page
    _assert_kept(page, data)
    assert Idea.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


def test_overlong_title_and_need_are_refused_and_kept(world, client):
    data = _form(world, title="Å" * 151, need="Behov " * 667)  # 4002 characters
    assert len(data["need"]) > 4000
    page = _assert_rerendered(client.post(SUBMIT, data), ["title", "need"])
    assert "Säkerställ att detta värde har som mest 150 tecken" in page
    assert "Säkerställ att detta värde har som mest 4000 tecken" in page
    _assert_kept(page, data)
    assert Idea.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("program.exe", b"MZ\x90\x00\x03" + b"\x00" * 60),
        SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 this is a program, not a PDF"),
        SimpleUploadedFile("bild.png", b"%PDF-1.4 a pdf dressed as a picture"),
    ],
    ids=["exe", "fake-pdf", "fake-png"],
)
def test_a_file_of_the_wrong_type_is_refused_and_not_kept(world, client, upload):
    data = _form(world)
    page = _assert_rerendered(
        client.post(SUBMIT, {**data, "attachments": [upload]}), ["attachments"]
    )
    assert html.escape(upload.name) in page
    _assert_kept(page, data)
    assert Idea.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_oversize_file_is_refused(world, client, settings):
    settings.SLUSS_ATTACHMENT_MAX_BYTES = 100
    data = _form(world)
    big = _pdf("stor.pdf", PDF + b"x" * 100)
    page = _assert_rerendered(client.post(SUBMIT, {**data, "attachments": [big]}), ["attachments"])
    assert "stor.pdf" in page
    _assert_kept(page, data)
    assert Idea.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_invalid_email_address_is_refused(world, client):
    data = _form(world, submitter_email="asa.oberg(at)skovde")
    page = _assert_rerendered(client.post(SUBMIT, data), ["submitter_email"])
    _assert_kept(page, data)
    assert Idea.objects.count() == 0


NAME_AND_ONE_EMAIL = "Line %(n)d: write a name and one email address."
NOT_AN_EMAIL = "Line %(n)d: %(email)s is not a valid email address."


@pytest.mark.parametrize(
    ("line", "message", "values"),
    [
        ("Anna Andersson", NAME_AND_ONE_EMAIL, {}),
        ("Anna Andersson anna@skovde.se bo@skovde.se", NAME_AND_ONE_EMAIL, {}),
        ("anna@skovde.se", NAME_AND_ONE_EMAIL, {}),
        ("Anna Andersson anna@", NOT_AN_EMAIL, {"email": "anna@"}),
    ],
    ids=["no-address", "two-addresses", "no-name", "bad-address"],
)
def test_a_bad_co_submitter_line_is_refused(world, client, line, message, values):
    data = _form(world, co_submitter_names=f"Bo Berg bo.berg@skovde.se\n{line}")
    page = _assert_rerendered(client.post(SUBMIT, data), ["co_submitter_names"])
    # The message names the line that is wrong (the second), in Swedish.
    assert html.escape(_swedish(message) % {"n": 2, **values}) in page
    _assert_kept(page, data)
    assert Idea.objects.count() == 0


def test_several_errors_at_once_are_all_in_the_summary(world, client):
    data = _form(world, title="", submitter_email="nej", co_submitter_names="Bara Namn")
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    page = _assert_rerendered(
        client.post(SUBMIT, {**data, "attachments": [bad]}),
        ["title", "submitter_email", "co_submitter_names", "attachments"],
    )
    _assert_kept(page, data)


def test_good_files_are_held_while_the_form_is_corrected_and_then_attached(
    world, client, django_capture_on_commit_callbacks
):
    data = _form(world, title="")
    first = client.post(
        SUBMIT,
        {
            **data,
            "attachments": [
                _pdf("underlag.pdf"),
                _png("skiss.png"),
                SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
            ],
        },
    )
    page = _assert_rerendered(first, ["title", "attachments"])
    # The good files are held and shown, each with a way to remove it; the bad one is not.
    held = {a.original_name: a for a in Attachment.objects.filter(idea__isnull=True)}
    assert set(held) == {"underlag.pdf", "skiss.png"}
    token = uuid.UUID(data["submission_token"])
    assert all(a.upload_token == token for a in held.values())
    for attachment in held.values():
        assert attachment.original_name in page
        assert f'name="discard_upload" value="{attachment.pk}"' in page
    png_path = held["skiss.png"].file.name
    assert default_storage.exists(png_path)

    # The corrected form, without choosing the files again, and with the sketch removed.
    # Files are deleted once the transaction commits, so run the commit hooks.
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(
            SUBMIT,
            {
                **data,
                "title": "Webbaserad föräldrautbildning",
                "discard_upload": [held["skiss.png"].pk],
            },
        )
    assert second.status_code == 302
    assert second["Location"] == reverse("ideas:receipt")
    idea = Idea.objects.get()
    assert [a.original_name for a in idea.attachments.all()] == ["underlag.pdf"]
    assert idea.attachments.get().upload_token is None
    assert idea.attachments.get().uploaded_by_submitter == idea.submitters.get(is_primary=True)
    assert not Attachment.objects.filter(idea__isnull=True).exists()
    assert not default_storage.exists(png_path)


def test_a_discarded_file_disappears_from_the_form_while_errors_remain(world, client):
    data = _form(world, need="")
    client.post(SUBMIT, {**data, "attachments": [_pdf("a.pdf"), _pdf("b.pdf")]})
    a = Attachment.objects.get(original_name="a.pdf")
    page = client.post(SUBMIT, {**data, "discard_upload": [a.pk]}).content.decode()
    assert f'name="discard_upload" value="{a.pk}"' not in page
    assert "b.pdf" in page
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["b.pdf"]


def test_held_files_of_another_form_cannot_be_discarded(world, client):
    mine = _form(world, title="")
    client.post(SUBMIT, {**mine, "attachments": [_pdf("mitt.pdf")]})
    held = Attachment.objects.get()
    # Another visitor, with another form token, tries to remove it.
    client.post(SUBMIT, {**_form(world, title=""), "discard_upload": [held.pk]})
    assert Attachment.objects.filter(pk=held.pk).exists()


def test_a_double_submit_makes_one_idea_and_both_land_on_the_receipt(world, client):
    data = _form(world)
    first = client.post(SUBMIT, data)
    second = client.post(SUBMIT, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("ideas:receipt")
    idea = Idea.objects.get()
    receipt = client.get(reverse("ideas:receipt"))
    assert receipt.status_code == 200
    assert idea.reference in receipt.content.decode()
    assert OutboxEmail.objects.filter(recipient="asa.oberg@skovde.se").count() == 1
    assert idea.submitters.count() == 2


def test_a_double_submit_with_a_file_attaches_it_once_and_leaves_nothing_held(
    world, client, settings, django_capture_on_commit_callbacks
):
    data = _form(world)
    client.post(SUBMIT, {**data, "attachments": [_pdf("underlag.pdf")]})
    # The browser sends the same form, files included, a second time.
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(SUBMIT, {**data, "attachments": [_pdf("underlag.pdf")]})
    assert second.status_code == 302
    idea = Idea.objects.get()
    assert idea.attachments.count() == 1
    # The second copy is neither kept waiting for a form that never comes nor on disk.
    assert Attachment.objects.count() == 1
    stored = [p for p in (settings.MEDIA_ROOT / "attachments").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [Path(idea.attachments.get().file.name).name]


def test_the_valid_form_hands_in_the_idea_with_everything_typed(world, client):
    data = _form(world)
    response = client.post(SUBMIT, {**data, "attachments": [_pdf()]})
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.title == data["title"]
    assert idea.unit == world.skovde_unit
    assert idea.consent_to_publish is True
    assert idea.submission_token == uuid.UUID(data["submission_token"])
    assert [(s.name, s.email, s.is_primary) for s in idea.submitters.all()] == [
        ("Åsa Öberg", "asa.oberg@skovde.se", True),
        ("Anna Andersson", "anna.andersson@skovde.se", False),
    ]
    assert idea.attachments.count() == 1


def test_a_form_token_from_another_browser_does_not_open_the_receipt(world, client):
    """The hidden token is no key: posting someone else's form again from another
    session says the idea is handed in, without showing its receipt or private link."""
    from django.test import Client

    data = _form(world)
    client.post(SUBMIT, data)
    stranger = Client()
    response = stranger.post(SUBMIT, data)
    assert response.status_code == 302
    assert response["Location"] != reverse("ideas:receipt")
    assert stranger.get(reverse("ideas:receipt")).status_code == 404
    assert Idea.objects.count() == 1


def test_a_double_click_while_the_first_post_is_running_still_shows_the_receipt(world, client):
    """The second post of a double click may start before the first has saved the
    session; the form token was issued to this session, so it gets the receipt."""
    from django.test import Client

    page = client.get(SUBMIT).content.decode()
    token = page.split('name="submission_token" value="')[1].split('"')[0]
    data = {**_form(world), "submission_token": token}
    # The first post runs in a copy of the session that the second does not see.
    other_tab = Client()
    other_tab.cookies = client.cookies
    other_tab.post(SUBMIT, data)
    session = client.session
    assert session.pop("sluss_receipt_submitter", None) is not None
    session.save()
    response = client.post(SUBMIT, data)
    assert response["Location"] == reverse("ideas:receipt")
