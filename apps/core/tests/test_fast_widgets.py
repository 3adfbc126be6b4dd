"""`{% widget %}` writes the plainest widgets in Python (apps/core/templatetags/
fast_widgets.py): what it writes must stay what Django's own widget templates write, for
every kind of value, attribute and option, in both languages. A Django upgrade that
changes those templates fails here, not in a user's form."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from apps.accounts.models import User
from apps.core.templatetags import fast_widgets
from apps.core.templatetags.sluss import _as_widget

pytestmark = pytest.mark.django_db

AWKWARD = "a<b>&\"c'"
VALUES = ["", "plain", AWKWARD, mark_safe("<b>safe</b>"), 0, 12345, 3.5]
ATTRIBUTES = [
    {},
    {"aria-describedby": "x_hint"},
    {"aria-invalid": "true", "x": True, "y": False, "z": None, "w": 0},
]


class EveryWidget(forms.Form):
    text = forms.CharField(required=False, max_length=20, help_text="hint <x>")
    required = forms.CharField()
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False)
    localised = forms.DecimalField(required=False, localize=True)
    textarea = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "data-x": 'q"<'}), required=False
    )
    select = forms.ChoiceField(
        choices=[
            ("", "---"),
            ("a", "A & <b>"),
            (1, "One"),
            ("g", [("x", "X"), ("y", mark_safe("<i>Y</i>"))]),
        ],
        required=False,
    )
    typed = forms.TypedChoiceField(choices=[(1, "1"), (2, "2")], coerce=int)
    model = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="-")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    checkbox = forms.BooleanField(required=False)
    disabled = forms.CharField(disabled=True, required=False)


def _forms():
    """Unbound, bound to nothing, and bound to each value; with no, awkward and chosen
    initial values."""
    initials = [
        {},
        dict.fromkeys(EveryWidget.base_fields, AWKWARD),
        {"select": "y", "model": 1, "number": 5, "decimal": "1234.5", "localised": "1234.5"},
    ]
    datas = [None, {}] + [dict.fromkeys(EveryWidget.base_fields, v) for v in VALUES]
    for data in datas:
        for initial in initials:
            form = (
                EveryWidget(data, initial=initial)
                if data is not None
                else EveryWidget(initial=initial)
            )
            form.fields["model"].queryset = User.objects.order_by("pk")[:5]
            if data is not None:
                form.is_valid()
            yield form


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_widgets_written_in_python_are_what_djangos_templates_write(world, language):
    written = 0
    with translation.override(language):
        for form in _forms():
            for field in form:
                for attrs in ATTRIBUTES:
                    expected = field.as_widget(attrs=dict(attrs))
                    assert _as_widget(field, dict(attrs)) == expected, (field.name, attrs)
                    fast = fast_widgets.widget_html(
                        field.field.widget,
                        name=field.html_name,
                        value=field.value(),
                        attrs=field.build_widget_attrs(dict(attrs)),
                        renderer=form.renderer,
                    )
                    written += fast is not None
    # The comparison is worth something only if the Python path was taken.
    assert written > 500
