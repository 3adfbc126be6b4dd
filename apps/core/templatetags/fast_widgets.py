"""The HTML of the plainest form widgets, written in Python; used by `{% widget %}`.

Django renders a widget through its form renderer: a template of its own, a fresh
context, an include for the attributes and one more per option of a select. That cost
about 0.35 ms per field, 2.5 ms of an idea page's 26 (seven fields). For the widgets
whose templates are Django's own (text, e-mail and number inputs, textareas and plain
selects), `widget_html` writes what those templates write, character for character,
from the same context (`Widget.get_context`). Anything else, a project's own widget
template included, is rendered by the renderer as before.

The templates copied are those of Django 5.2 (django/forms/templates/django/forms/
widgets/): input.html, text.html, email.html, number.html, textarea.html, select.html,
select_option.html, attrs.html. `_django_templates` checks once per process that the
default renderer would load those very files.
"""

import html
from pathlib import Path

import django.forms
from django.forms import widgets as django_widgets
from django.forms.renderers import get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, SafeString

_DJANGO_WIDGETS = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"

#: The widget templates written here, and the templates each of them includes.
_INPUT = ("django/forms/widgets/input.html", "django/forms/widgets/attrs.html")
_TEMPLATES = {
    "django/forms/widgets/text.html": _INPUT,
    "django/forms/widgets/email.html": _INPUT,
    "django/forms/widgets/number.html": _INPUT,
    "django/forms/widgets/textarea.html": ("django/forms/widgets/attrs.html",),
    "django/forms/widgets/select.html": (
        "django/forms/widgets/attrs.html",
        "django/forms/widgets/select_option.html",
    ),
}
#: The classes whose rendering is Django's own (`Widget.render` and `_render`).
_CLASSES = (
    django_widgets.TextInput,
    django_widgets.EmailInput,
    django_widgets.NumberInput,
    django_widgets.Textarea,
    django_widgets.Select,
)

# The context a widget template is rendered in: autoescaping on, the settings' own
# localisation and time zone (what the renderer's `Template.render(dict)` gives).
_CONTEXT = Context()
# Whether the default renderer (one per process; a new one only when tests change the
# setting) loads Django's own files for each template name.
_checked: dict[tuple[object, str], bool] = {}


def _django_templates(renderer, template_name: str) -> bool:
    """Whether `renderer` is the default one and renders `template_name` and what it
    includes from Django's own files (a project may override them); checked once per
    process. Any other renderer renders its widgets itself."""
    if renderer is not get_default_renderer():
        return False
    key = (renderer, template_name)
    if key not in _checked:
        names = (template_name, *_TEMPLATES[template_name])
        try:
            origins = [Path(renderer.get_template(name).origin.name) for name in names]
        except Exception:  # Whatever fails here, the renderer renders the widget.
            origins = []
        expected = [_DJANGO_WIDGETS / Path(name).name for name in names]
        _checked[key] = origins == expected
    return _checked[key]


def _text(value) -> str:
    """`{{ value }}`"""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _as_s(value) -> str:
    """`{{ value|stringformat:'s' }}`: `stringformat` keeps a safe string safe."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        formatted = str(value)  # What "%s" % value gives for anything but a tuple.
    except (ValueError, TypeError):
        return ""
    return formatted if isinstance(value, SafeData) else html.escape(formatted)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_as_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict) -> str:
    """django/forms/widgets/select_option.html"""
    return (
        f'<option value="{_as_s(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html"""
    value = f' value="{_as_s(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _select(widget: dict) -> str | None:
    """django/forms/widgets/select.html, or None for an option of another template."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def widget_html(widget, *, name: str, value, attrs: dict, renderer) -> SafeString | None:
    """What `widget.render(name, value, attrs, renderer)` returns, or None when the widget
    is not one written here (the caller then renders it as usual)."""
    template_name = getattr(widget, "template_name", None)
    if (
        type(widget) not in _CLASSES
        or template_name not in _TEMPLATES
        or type(widget).render is not django_widgets.Widget.render
        or type(widget)._render is not django_widgets.Widget._render
        or not _django_templates(renderer, template_name)
    ):
        return None
    context = widget.get_context(name, value, attrs)["widget"]
    if template_name == "django/forms/widgets/textarea.html":
        text = _text(context["value"]) if context["value"] else ""
        rendered = (
            f'<textarea name="{_text(context["name"])}"{_attrs(context["attrs"])}>\n'
            f"{text}</textarea>\n"
        )
    elif template_name == "django/forms/widgets/select.html":
        rendered = _select(context)
        if rendered is None:
            return None
    else:
        # text.html, email.html and number.html each include input.html.
        rendered = _input(context) + "\n"
    # The renderer strips what the template gives (`BaseRenderer.render`).
    return SafeString(rendered.strip())
