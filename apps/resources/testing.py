"""Builders for tests (and the matrix) of the resource library. They go through the real
services, so a test's data is made the way production makes it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from . import services
from .models import Category, Resource, ResourceVersion, Visibility

#: The smallest file that passes the content check as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "handbok.pdf", body: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def text_file(name: str = "mall.txt", body: bytes = b"En mall.\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


def make_resource(
    consortium,
    actor,
    *,
    title: str = "Metodhandbok för tjänstedesign",
    description: str = "Steg för steg genom en tjänstedesignprocess.",
    category: str = Category.HANDBOOK,
    visibility: str = Visibility.PUBLIC,
    upload=None,
) -> Resource:
    return services.resource_create(
        actor=actor,
        consortium=consortium,
        title=title,
        description=description,
        category=category,
        visibility=visibility,
        upload=upload or pdf(),
    )


def add_version(resource: Resource, actor, *, note: str = "Uppdaterad.") -> ResourceVersion:
    return services.resource_add_version(
        actor=actor, resource=resource, upload=pdf("handbok-v2.pdf"), change_note=note
    )
