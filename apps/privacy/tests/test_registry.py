"""Every model holding personal data is in the registry or on its commented exemption list."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from apps.privacy.registry import EXEMPT, REGISTRY, RETENTION, records

#: Field names that hold a person's name, address or phone whatever their type.
PERSONAL_NAMES = {
    "name",
    "full_name",
    "first_name",
    "last_name",
    "display_name",
    "email",
    "email_address",
    "phone",
    "phone_number",
    "mobile",
    "ip",
    "ip_address",
    "recipient",
}


def personal_fields(model) -> list[str]:
    user_model = get_user_model()
    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False):
            continue
        if (
            isinstance(field, models.EmailField | models.GenericIPAddressField)
            or (field.is_relation and field.related_model is user_model)
            or field.name in PERSONAL_NAMES
        ):
            found.append(field.name)
    return found


def test_every_model_with_personal_data_is_registered_or_exempt():
    registered = {record.label for record in REGISTRY}
    missing = {
        model._meta.label: personal_fields(model)
        for model in apps.get_models()
        if personal_fields(model)
        and model._meta.label not in registered
        and model._meta.label not in EXEMPT
    }
    assert not missing, f"personal data neither in the registry nor exempt: {missing}"


def test_the_detection_finds_the_known_kinds_of_field():
    """The inspection would catch each kind: address, foreign key to a user, name field."""
    assert "email" in personal_fields(apps.get_model("newsletters.Subscriber"))
    assert "user" in personal_fields(apps.get_model("api.ApiToken"))
    assert {"name", "email", "phone"} <= set(personal_fields(apps.get_model("ideas.Submitter")))
    assert "recipient" in personal_fields(apps.get_model("notifications.OutboxEmail"))


def test_exemptions_are_not_also_registered_and_exist():
    registered = {record.label for record in REGISTRY}
    assert not registered & set(EXEMPT)
    for label in EXEMPT:
        apps.get_model(label)


@pytest.mark.django_db
def test_every_record_type_is_consistent_with_its_model():
    """Lookups, export columns, replaced and free-text fields all exist (a typo would only
    show on the day someone asks for their data)."""
    from apps.privacy.registry import Person

    nobody = Person(user=None, emails=frozenset({"nobody@example.se"}), names=frozenset())
    for record in records():
        model = record.model
        names = {f.name for f in model._meta.get_fields()}
        for field_name in (*record.replace, *record.text_fields):
            assert field_name in names, f"{record.label}.{field_name}"
        assert record.rule in ("delete", "pseudonymise", "keep")
        assert str(record.reason)
        if record.rows is not None:
            list(record.rows(nobody).values(*record.export))


def test_retention_rules_say_what_happens():
    keys = [rule.key for rule in RETENTION]
    assert len(keys) == len(set(keys))
    assert {"outbox", "sessions", "imports", "subscriptions", "audit"} <= set(keys)
