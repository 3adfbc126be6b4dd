"""What an issue says: its blocks filled in from the showcase, trainings and statistics,
rendered once as text and once as HTML.

The same two templates make the preview, the test email and the issue that is sent (and
frozen on the Newsletter for the archive), so the preview is exactly what subscribers get.
The other apps are asked through their public contracts, imported inside the functions so
this app does not depend on their import order.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation

from .models import Newsletter, NewsletterBlock

#: How many upcoming training sessions a trainings block lists.
TRAINING_SESSIONS = 5


def published_entries(*, consortium_id: int) -> list:
    from apps.showcase.selectors import published_entries as entries

    return list(entries(consortium_id=consortium_id))


def upcoming_sessions(*, consortium_id: int) -> list:
    from apps.trainings.selectors import upcoming_sessions as sessions

    return list(sessions(consortium_id=consortium_id, limit=TRAINING_SESSIONS))


def key_figures(*, consortium_id: int) -> list[tuple[str, object]]:
    from apps.stats.figures import key_figures as figures

    return list(figures(consortium_id=consortium_id))


@dataclass
class FilledBlock:
    """A block with what it shows: entries, sessions or figures."""

    block: NewsletterBlock
    entries: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    figures: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.block.kind


def filled_blocks(newsletter: Newsletter) -> list[FilledBlock]:
    """The issue's blocks in order, each with its content from the other apps."""
    blocks = list(newsletter.blocks.all())
    kinds = {block.kind for block in blocks}
    consortium_id = newsletter.consortium_id
    entries = (
        {entry.pk: entry for entry in published_entries(consortium_id=consortium_id)}
        if NewsletterBlock.Kind.SHOWCASE in kinds
        else {}
    )
    sessions = (
        upcoming_sessions(consortium_id=consortium_id)
        if NewsletterBlock.Kind.TRAININGS in kinds
        else []
    )
    figures = (
        key_figures(consortium_id=consortium_id) if NewsletterBlock.Kind.FIGURES in kinds else []
    )
    filled = []
    for block in blocks:
        if block.kind == NewsletterBlock.Kind.SHOWCASE:
            chosen = [entries[pk] for pk in block.entry_ids if pk in entries]
            filled.append(FilledBlock(block, entries=chosen))
        elif block.kind == NewsletterBlock.Kind.TRAININGS:
            filled.append(FilledBlock(block, sessions=sessions))
        elif block.kind == NewsletterBlock.Kind.FIGURES:
            filled.append(FilledBlock(block, figures=figures))
        else:
            filled.append(FilledBlock(block))
    return filled


def render_content(newsletter: Newsletter) -> tuple[str, str]:
    """The issue's content as (text, HTML), in the site's language: what is frozen."""
    context = {
        "newsletter": newsletter,
        "blocks": filled_blocks(newsletter),
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = (
            Engine.get_default()
            .get_template("newsletters/email/content.txt")
            .render(Context(context, autoescape=False))
        )
        html = render_to_string("newsletters/email/content.html", context)
    return text.strip() + "\n", html.strip()


def preview_content(newsletter: Newsletter) -> tuple[str, str]:
    """What a subscriber would get: the frozen content once sent, else rendered now."""
    if not newsletter.is_draft:
        return newsletter.body_text, newsletter.body_html
    return render_content(newsletter)
