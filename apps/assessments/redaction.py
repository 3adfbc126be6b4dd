"""Blind rounds: what identifies the people who handed an idea in, and taking it out of text.

The assessor of a blind round is shown the idea's own texts (title, need, solution, who
benefits, expected effects). Submitters sometimes write their own name, workplace or phone
number into them, so those texts are shown with every known identifier replaced by a
marker: the submitters' names (whole and each part), email addresses, phone numbers, and
the idea's unit and workplace.
"""

import re
from collections.abc import Iterable

MARKER = "[…]"
_MIN_PART = 3  # shorter name parts ("Bo", "Li") are too often ordinary words


def _parts(text: str) -> list[str]:
    return [p for p in re.split(r"[\s.,_\-@+()]+", text) if len(p) >= _MIN_PART]


def identifiers(
    *, names: Iterable[str], emails: Iterable[str], unit_name: str = "", workplace: str = ""
) -> list[str]:
    """The strings that would tell an assessor who handed the idea in, longest first."""
    found: set[str] = set()
    for name in names:
        if name and name.strip():
            found.add(name.strip())
            found.update(_parts(name))
    for email in emails:
        if email and email.strip():
            found.add(email.strip())
            local = email.split("@")[0]
            found.add(local)
            found.update(_parts(local))
    for text in (unit_name, workplace):
        if text and text.strip():
            found.add(text.strip())
    return sorted((f for f in found if f), key=len, reverse=True)


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 5:
        return None
    variants = {digits}
    if digits.startswith("0"):
        variants.add("46" + digits[1:])  # +46 70 … for 070 …
    elif digits.startswith("46"):
        variants.add("0" + digits[2:])
    sep = r"[\s\-./()]*"
    return "|".join(r"\+?" + sep.join(v) for v in sorted(variants, key=len, reverse=True))


class Redactor:
    """Replaces a fixed set of identifiers in any text given to it."""

    def __init__(self, words: Iterable[str], phones: Iterable[str] = ()):
        alternatives = [re.escape(w) for w in words if w]
        alternatives += [p for p in (_phone_pattern(ph) for ph in phones if ph) if p]
        self._pattern = (
            # A Swedish genitive ("Ingrids", "SVT:s") is the name too.
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?::?s)?(?!\w)", re.IGNORECASE)
            if alternatives
            else None
        )

    def __call__(self, text: str) -> str:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(MARKER, text)


NO_REDACTION = Redactor([])


def redactor_for(idea, submitters: list) -> Redactor:
    """The redactor for one idea's texts, from its submitters (with `user` joined in)."""
    names, emails = [], []
    for submitter in submitters:
        names.append(submitter.name)
        emails.append(submitter.email)
        if submitter.user_id:
            names.append(submitter.user.full_name)
            emails.append(submitter.user.email)
    phones = [s.phone for s in submitters if s.phone]
    phones += [s.user.phone for s in submitters if s.user_id and s.user.phone]
    return Redactor(
        identifiers(
            names=names,
            emails=emails,
            unit_name=idea.unit.name if idea.unit_id else "",
            workplace=idea.workplace,
        ),
        phones=phones,
    )
