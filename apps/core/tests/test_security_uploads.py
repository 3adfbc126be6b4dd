"""Uploads are checked by content as well as by name (apps/ideas/uploads.py)."""

import io
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.ideas.models import Attachment, Idea
from apps.ideas.uploads import validate_upload

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_with(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"This is not a PDF at all, just text.\n"),
        ("rapport.pdf", EXE),
        ("bild.png", EXE),  # a program renamed .png
        ("bild.jpg", PNG),  # a PNG that claims to be a JPEG
        ("bild.gif", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("anteckning.txt", EXE),  # binary, NUL bytes
        ("tabell.xlsx", EXE),
        ("program.exe", EXE),  # a type we never take
        ("sida.html", b"<script>alert(1)</script>"),
        ("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("utan-namnändelse", PDF),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_upload(upload(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", PDF),
        ("bild.png", PNG),
        ("BILD.PNG", PNG),
        ("anteckning.txt", "Hej, här är en anteckning om förskolan.\n".encode()),
        (
            "tabell.xlsx",
            zip_with(**{"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        ),
        (
            "text.odt",
            zip_with(mimetype=b"application/vnd.oasis.opendocument.text"),
        ),
    ],
)
def test_a_file_that_is_what_its_name_says_is_taken(name, content):
    validate_upload(upload(name, content))


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("avtal.docx", {"program.exe": EXE}),
        # An Excel package renamed .docx: a real Office file, but not what its name says.
        ("avtal.docx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
        ("text.odt", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        ("text.odt", {"program.exe": EXE}),
    ],
)
def test_an_archive_that_is_not_the_office_file_its_name_says_is_refused(name, members):
    with pytest.raises(ValidationError):
        validate_upload(upload(name, zip_with(**members)))


@pytest.mark.django_db
def test_the_public_form_refuses_a_renamed_program_and_keeps_what_was_typed(client, world):
    data = {
        "municipality": world.skovde.pk,
        "title": "Digitala körjournaler",
        "need": "Körjournaler förs på papper.",
        "solution": "En app för körjournaler.",
        "submitter_name": "Ida Idébärare",
        "submitter_email": "ida@example.se",
        "submission_token": str(uuid.uuid4()),
        "attachments": [upload("bild.png", EXE, "image/png")],
    }
    response = client.post(reverse("ideas:submit"), data)
    assert response.status_code == 400
    page = response.content.decode()
    refusal = _("The file %(name)s does not contain what its name says (%(ext)s).") % {
        "name": "bild.png",
        "ext": "PNG",
    }
    assert escape(refusal) in page
    assert "Digitala körjournaler" in page
    assert not Idea.objects.exists()
    assert not Attachment.objects.exists()
