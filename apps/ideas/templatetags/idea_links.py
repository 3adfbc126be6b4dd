"""Links to ideas on pages that list many of them (the board, the list)."""

from django import template

from apps.core.reversing import row_url

register = template.Library()


@register.filter
def idea_url(reference: str, page: str = "detail") -> str:
    """The address `{% url 'ideas:<page>' reference=reference %}` gives (the idea's page,
    or one of its actions such as "move"), without a full reverse for every row."""
    return row_url(f"ideas:{page}", reference=reference)
