"""The translation catalogues: Swedish complete and compiled, English present, pages switch.

Swedish is the default language and the code uses English msgids, so an untranslated or
fuzzy Swedish entry shows English to a Swedish user, and a stale .mo shows old text.
"""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
SV_PO = LOCALE / "sv" / "LC_MESSAGES" / "django.po"
SV_MO = LOCALE / "sv" / "LC_MESSAGES" / "django.mo"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# A printf-style conversion: %(name)s, %d, %s, %.1f, and the literal %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _named(text: str) -> set[str]:
    return set(re.findall(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]", text))


def _label(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


@pytest.fixture(scope="module")
def sv() -> polib.POFile:
    assert SV_PO.exists(), "Run makemessages -l sv; the Swedish catalogue is missing."
    return polib.pofile(str(SV_PO))


@pytest.fixture(scope="module")
def sv_entries(sv) -> list[polib.POEntry]:
    return [e for e in sv if not e.obsolete]


def test_swedish_header_is_complete(sv):
    assert not sv.metadata_is_fuzzy, "The header of the Swedish catalogue is still fuzzy."
    assert sv.metadata.get("Language") == "sv"
    assert "charset=UTF-8" in sv.metadata.get("Content-Type", "")
    assert sv.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"


def test_swedish_catalogue_has_entries(sv_entries):
    assert len(sv_entries) > 100


def test_no_swedish_entry_is_untranslated(sv_entries):
    missing = [
        _label(e)
        for e in sv_entries
        if (not all(e.msgstr_plural.values()) if e.msgid_plural else not e.msgstr)
    ]
    assert not missing, "Untranslated Swedish entries:\n" + "\n".join(missing)


def test_no_swedish_entry_is_fuzzy(sv_entries):
    fuzzy = [_label(e) for e in sv_entries if "fuzzy" in e.flags]
    assert not fuzzy, "Fuzzy Swedish entries (check them, then drop the flag):\n" + "\n".join(fuzzy)


def test_swedish_translations_keep_every_placeholder(sv_entries):
    wrong = []
    for e in sv_entries:
        if e.msgid_plural:
            allowed = _named(e.msgid) | _named(e.msgid_plural)
            forms = [
                (e.msgid, e.msgstr_plural.get(0, "")),
                (e.msgid_plural, e.msgstr_plural.get(1, "")),
            ]
            for source, target in forms:
                if not _named(source) <= _named(target) or not _named(target) <= allowed:
                    wrong.append(f"{_label(e)} → {target!r}")
            continue
        is_format = "python-format" in e.flags or _named(e.msgid)
        if is_format and _placeholders(e.msgid) != _placeholders(e.msgstr):
            wrong.append(f"{_label(e)} → {e.msgstr!r}")
    assert not wrong, "Placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_swedish_catalogue_passes_msgfmt_check():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (msgfmt) is not installed.")
    result = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "--output-file=/dev/null", str(SV_PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_compiled_swedish_catalogue_matches_the_po(sv_entries):
    """The committed .mo holds exactly the .po's translations: nobody forgot compilemessages."""
    assert SV_MO.exists(), "Run compilemessages; locale/sv/LC_MESSAGES/django.mo is missing."
    compiled = {}
    for e in polib.mofile(str(SV_MO)):
        value = (
            tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
            if e.msgid_plural
            else e.msgstr
        )
        compiled[(e.msgctxt, e.msgid)] = value
    expected = {}
    for e in sv_entries:
        if "fuzzy" in e.flags:
            continue
        value = (
            tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
            if e.msgid_plural
            else e.msgstr
        )
        expected[(e.msgctxt, e.msgid)] = value
    stale = sorted(
        repr(key[1])
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not stale, "The .mo is out of date with the .po (run compilemessages):\n" + "\n".join(
        stale[:30]
    )


def test_django_serves_every_swedish_translation(sv_entries):
    """What Django actually says under Swedish is what the .po says, entry by entry."""
    wrong = []
    with translation.override("sv"):
        for e in sv_entries:
            if e.msgid_plural:
                got = (
                    translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
                    if e.msgctxt
                    else translation.ngettext(e.msgid, e.msgid_plural, 1),
                    translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 2)
                    if e.msgctxt
                    else translation.ngettext(e.msgid, e.msgid_plural, 2),
                )
                want = (e.msgstr_plural[0], e.msgstr_plural[1])
            else:
                got = (
                    translation.pgettext(e.msgctxt, e.msgid)
                    if e.msgctxt
                    else translation.gettext(e.msgid)
                )
                want = e.msgstr
            if got != want:
                wrong.append(f"{_label(e)}: Django gives {got!r}, the .po says {want!r}")
    assert not wrong, "Django does not serve the .po's translations:\n" + "\n".join(wrong[:30])


def test_english_catalogue_exists_with_a_proper_header():
    assert EN_PO.exists(), "Run makemessages -l en; the English catalogue is missing."
    en = polib.pofile(str(EN_PO))
    assert not en.metadata_is_fuzzy
    assert en.metadata.get("Language") == "en"
    assert "charset=UTF-8" in en.metadata.get("Content-Type", "")
    assert not [e for e in en if "fuzzy" in e.flags and not e.obsolete]


def test_english_msgids_are_the_english_text():
    with translation.override("en"):
        assert translation.gettext("Hand in an idea") == "Hand in an idea"
        assert translation.ngettext("%(n)d day", "%(n)d days", 2) == "%(n)d days"


@pytest.mark.django_db
def test_front_page_is_swedish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="sv"' in page
    assert "Lämna en idé" in page
    assert "Hoppa till innehållet" in page
    assert "Hand in an idea" not in page


@pytest.mark.django_db
def test_front_page_is_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert settings.LANGUAGE_COOKIE_NAME == "sluss_language"
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Hand in an idea" in page
    assert "Lämna en idé" not in page
