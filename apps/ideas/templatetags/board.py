"""The board's cards, written in Python rather than as a loop in the template.

A national board shows 150 cards of some forty template nodes each; the template engine
spent about 8 ms of a 21 ms request walking them (resolving variables, pushing contexts for
`with` and `blocktranslate`). The tag below writes the same HTML, byte for byte, as the
markup it replaced in `ideas/board.html`, escaping and localising every value the way
`{{ value }}` does (`render_value_in_context`). When it was written, the boards of the
national bench data sets were compared byte for byte before and after (both databases).
"""

import html

from django import template
from django.template.base import render_value_in_context
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from apps.core.reversing import row_url
from apps.core.templatetags.sluss import days_since

register = template.Library()

# What one board render shares between its cards: the labels the template translated
# once, the CSRF field and the message around the days, worked out for the first card.
_SHARED = "ideas.board.shared"


def _shared(context) -> dict:
    """The pieces every card of this render uses, computed once per render."""
    shared = context.render_context.get(_SHARED)
    if shared is None:
        shared = {
            "owner_label": render_value_in_context(context.get("owner_label", ""), context),
            "no_owner_label": render_value_in_context(context.get("no_owner_label", ""), context),
            "move_to_label": render_value_in_context(context.get("move_to_label", ""), context),
            "move_label": render_value_in_context(context.get("move_label", ""), context),
            "csrf": CsrfTokenNode().render(context),
            # The msgid `{% blocktranslate %}here for {{ days }}{% endblocktranslate %}` gave.
            "here_for": gettext("here for %(days)s"),
            "numbers": {},
        }
        context.render_context[_SHARED] = shared
    return shared


@register.simple_tag(takes_context=True)
def board_card(context, card) -> SafeString:
    """One card of the board: the idea's title, reference, municipality, owner, days in
    its stage and, when the user may move it, the form with the stages it may go to."""
    shared = _shared(context)

    autoescape = context.autoescape
    numbers = shared["numbers"]

    def text(value) -> str:
        # What `{{ value }}` writes. A plain string is only escaped (localising and time
        # zones leave text alone), and the few numbers of a board (stage ids) repeat, so
        # each is localised once per render.
        if type(value) is str and autoescape:
            return html.escape(value)
        if type(value) is int:
            if value not in numbers:
                numbers[value] = render_value_in_context(value, context)
            return numbers[value]
        return render_value_in_context(value, context)

    idea = card.idea
    reference = idea.reference
    ref = text(reference)
    if idea.owner_id:
        owner = f"{shared['owner_label']}: {text(idea.owner_full_name or idea.owner_email)}"
    else:
        owner = f'<span class="warning-text">{shared["no_owner_label"]}</span>'
    days = shared["here_for"] % {"days": text(days_since(idea.stage_entered_at))}
    parts = [
        f'\n      <li class="card" id="card-{ref}">\n'
        f'        <h3><a href="{text(row_url("ideas:detail", reference=reference))}">'
        f"{text(idea.title)}</a></h3>\n"
        f'        <p class="card-meta">{ref} · {text(idea.municipality_name)}</p>\n'
        f'        <p class="card-meta">{owner} · {days}</p>\n'
        "        "
    ]
    if card.moves:
        move_url = text(row_url("ideas:move", reference=reference))
        options = "".join(
            f'<option value="{text(move.to_stage_id)}">{text(move.to_stage.name)}</option>'
            for move in card.moves
            if not move.to_stage.requires_reason
        )
        parts.append(
            "\n        \n"
            f'        <form method="post" action="{move_url}" class="move-form"\n'
            f'              hx-post="{move_url}" hx-target="#board" hx-swap="outerHTML"'
            ' hx-select="#board">\n'
            f"          {shared['csrf']}\n"
            '          <input type="hidden" name="from" value="board">\n'
            '          <input type="hidden" name="expected_stage"'
            f' value="{text(idea.stage_id)}">\n'
            f'          <label for="move-{ref}">{shared["move_to_label"]}</label>\n'
            f'          <select name="to_stage" id="move-{ref}">\n'
            f"            {options}\n"
            "          </select>\n"
            '          <button type="submit" class="button button-small"'
            f' id="move-button-{ref}">{shared["move_label"]}'
            f'<span class="visually-hidden"> {ref}</span></button>\n'
            "        </form>\n"
            "        "
        )
    parts.append("\n      </li>")
    return SafeString("".join(parts))
