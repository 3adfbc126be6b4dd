"""Checks on uploaded files: size, name and content, before anything is stored."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Extension → a check of the file's first bytes (or its structure) that the content
# really is of that type, so a renamed program is refused.
ALLOWED_EXTENSIONS = {
    "pdf": lambda head, f: head.startswith(b"%PDF-"),
    "png": lambda head, f: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda head, f: head.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda head, f: head.startswith(b"\xff\xd8\xff"),
    "gif": lambda head, f: head[:6] in (b"GIF87a", b"GIF89a"),
    "txt": lambda head, f: _is_text(f),
    "csv": lambda head, f: _is_text(f),
    "docx": lambda head, f: _is_office_open_xml(f, "word/"),
    "xlsx": lambda head, f: _is_office_open_xml(f, "xl/"),
    "pptx": lambda head, f: _is_office_open_xml(f, "ppt/"),
    "odt": lambda head, f: _is_opendocument(f, "text"),
    "ods": lambda head, f: _is_opendocument(f, "spreadsheet"),
    "odp": lambda head, f: _is_opendocument(f, "presentation"),
}


def _zip_names(upload: UploadedFile) -> set[str] | None:
    """The member names of a ZIP archive, or None when the file is not one."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def _is_office_open_xml(upload: UploadedFile, main_folder: str) -> bool:
    """A Word, Excel or PowerPoint file: a ZIP with the package's content types and the
    application's own folder, so any other archive renamed .docx is refused."""
    names = _zip_names(upload)
    if names is None or "[Content_Types].xml" not in names:
        return False
    return any(name.startswith(main_folder) for name in names)


def _is_opendocument(upload: UploadedFile, kind: str) -> bool:
    """An OpenDocument file names its type in a `mimetype` member (ISO/IEC 26300)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            declared = archive.read("mimetype")[:100]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return declared == f"application/vnd.oasis.opendocument.{kind}".encode()


def _is_text(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        chunk = upload.read(65536)
        if b"\x00" in chunk:
            return False
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the chunk's end is still text.
            if error.start < len(chunk) - 4:
                try:
                    chunk.decode("cp1252")
                except UnicodeDecodeError:
                    return False
        return True
    finally:
        upload.seek(0)


def allowed_types_text() -> str:
    return ", ".join(sorted({ext.upper() for ext in ALLOWED_EXTENSIONS} - {"JPEG"}))


def validate_upload(upload: UploadedFile) -> None:
    """Refuse a file that is too big, of a type we do not take, or not what it claims."""
    name = upload.name or ""
    if upload.size > settings.SLUSS_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is too large (%(size)s). The largest allowed is %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.SLUSS_ATTACHMENT_MAX_BYTES),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    check = ALLOWED_EXTENSIONS.get(extension)
    if check is None:
        raise ValidationError(
            _("The file %(name)s is of a type we do not accept. Allowed types: %(types)s.")
            % {"name": name, "types": allowed_types_text()}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not check(head, upload):
        raise ValidationError(
            _("The file %(name)s does not contain what its name says (%(ext)s).")
            % {"name": name, "ext": extension.upper()}
        )
