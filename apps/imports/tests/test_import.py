"""Importing ideas through the command and the shared check and service: all rows or
none, every bad row named, a dry run that changes nothing, and 10,000 rows quickly."""

from datetime import datetime

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from apps.core import testing
from apps.ideas.models import Idea, ReferenceCounter, Submitter, Tag, TimelineEntry, hash_token
from apps.imports.checking import check_file
from apps.imports.services import ideas_import
from apps.imports.testing import csv_bytes, many_rows, xlsx_bytes
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role
from apps.workflow.models import Stage

FULL_HEADER = [
    "Titel",
    "Beskrivning",
    "Behov",
    "Kommun",
    "Enhet",
    "Steg",
    "Datum",
    "Idébärare",
    "E-post",
    "Taggar",
    "Referens",
    "Ägare",
]


def every_table_count() -> dict[str, int]:
    """Rows in every table of the project, by model."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def run_command(tmp_path, data: bytes, *args: str, name: str = "ideer.csv") -> str:
    from io import StringIO

    path = tmp_path / name
    path.write_bytes(data)
    out, err = StringIO(), StringIO()
    try:
        call_command("import_ideas", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}") from None
    return out.getvalue() + err.getvalue()


def full_rows(world) -> list[list[object]]:
    return [
        [
            "Lånecyklar för personalen",
            "Cyklar som personalen kan låna till möten.",
            "Bilarna räcker inte.",
            "skövde",  # any case
            world.skovde_unit.name.upper(),
            "Fånga",
            "2024-03-05",
            "Ida Idébärare",
            "ida@skovde.se",
            "hälsa, Miljö, hälsa",
            "GAMMAL-17",
            world.coach.email.upper(),
        ],
        [
            "Matsvinn i skolan",
            "Väg maten som slängs.",
            "",
            world.hjo.slug,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_full_file_becomes_ideas_with_submitters_tags_owner_and_timeline(world, tmp_path, kind):
    Tag.objects.create(consortium=world.consortium, name="Hälsa")
    rows = full_rows(world)
    data = (
        xlsx_bytes(rows, header=FULL_HEADER)
        if kind == "xlsx"
        else csv_bytes(rows, header=FULL_HEADER)
    )
    output = run_command(tmp_path, data, "--by", world.process_leader.email, name=f"ideer.{kind}")
    assert "Imported 2 ideas" in output

    bikes = Idea.objects.get(title="Lånecyklar för personalen")
    assert bikes.municipality == world.skovde
    assert bikes.unit == world.skovde_unit
    assert bikes.stage.key == "capture"
    assert bikes.need == "Bilarna räcker inte."
    assert bikes.solution == "Cyklar som personalen kan låna till möten."
    assert timezone.localtime(bikes.created_at).date().isoformat() == "2024-03-05"
    assert bikes.reference == "SLU-2024-0001"  # the year it was handed in
    assert bikes.owner == world.coach
    assert sorted(t.name for t in bikes.tags.all()) == ["Hälsa", "Miljö"]  # existing tag reused
    assert Tag.objects.filter(consortium=world.consortium).count() == 2
    submitter = bikes.submitters.get()
    assert (submitter.name, submitter.email, submitter.is_primary) == (
        "Ida Idébärare",
        "ida@skovde.se",
        True,
    )
    # The private link works although bulk_create skipped save().
    assert submitter.access_token_hash == hash_token(submitter.access_token)
    entry = bikes.timeline.get()
    assert entry.kind == TimelineEntry.Kind.IMPORTED
    assert entry.actor == world.process_leader
    assert f"ideer.{kind}" in entry.body and "GAMMAL-17" in entry.body

    waste = Idea.objects.get(title="Matsvinn i skolan")
    assert waste.municipality == world.hjo
    assert waste.stage.is_initial  # the first stage by default
    assert waste.submitters.count() == 0
    assert waste.reference == f"SLU-{timezone.localdate().year}-0001"
    # No receipt, no co-submitter mail, no coach notice: nothing is sent on import.
    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_one_bad_row_rejects_the_whole_file_and_names_the_row(world, tmp_path):
    rows = many_rows(9, ["Skövde", "Hjo"])
    rows.insert(5, ["Trasig rad", "Kommunen är felstavad", "Skovde"])  # row 7 of the file
    before = every_table_count()
    with pytest.raises(CommandError) as refused:
        run_command(tmp_path, csv_bytes(rows))
    assert "Rad 7: kommunen ”Skovde” finns inte" in str(refused.value)
    assert "1 error(s) in 10 rows: nothing imported" in str(refused.value)
    assert every_table_count() == before


def test_every_bad_row_is_reported_with_its_reason(world):
    header = ["Titel", "Text", "Kommun", "Enhet", "Steg", "Datum", "Namn", "E-post", "Ägare", "Ref"]
    rows = [
        ["", "Text", "Skövde", "", "", "", "", "", "", ""],  # 2: no title
        ["T", "", "Skövde", "", "", "", "", "", "", ""],  # 3: no text
        ["T", "Text", "Skovde", "", "", "", "", "", "", ""],  # 4: unknown municipality
        ["T", "Text", "Hjo", "Vård och omsorg", "", "", "", "", "", ""],  # 5: Skövde's unit
        ["T", "Text", "Hjo", "", "Flyga", "", "", "", "", ""],  # 6: unknown stage
        ["T", "Text", "Hjo", "", "", "5 mars", "", "", "", ""],  # 7: not a date
        ["T", "Text", "Hjo", "", "", "2999-01-01", "", "", "", ""],  # 8: future
        ["T", "Text", "Hjo", "", "", "", "Ida", "", "", ""],  # 9: name without email
        ["T", "Text", "Hjo", "", "", "", "Ida", "inte-en-adress", "", ""],  # 10: bad email
        ["T", "Text", "Hjo", "", "", "", "", "", "nobody@hjo.se", ""],  # 11: no account
        ["T", "Text", "Hjo", "", "", "", "", "", "coach@skovde.se", ""],  # 12: not Hjo's coach
        ["T" * 151, "Text", "Hjo", "", "", "", "", "", "", "A-1"],  # 13: long title
        ["T", "Text", "Hjo", "", "", "", "", "", "", "a-1"],  # 14: same old reference
    ]
    checked = check_file(
        data=csv_bytes(rows, header=header), filename="a.csv", consortium=world.consortium
    )
    assert [(e.line, e.code) for e in checked.errors] == [
        (2, "title_missing"),
        (3, "text_missing"),
        (4, "unknown_municipality"),
        (5, "unknown_unit"),
        (6, "unknown_stage"),
        (7, "bad_date"),
        (8, "future_date"),
        (9, "submitter_incomplete"),
        (10, "bad_email"),
        (11, "unknown_owner"),
        (12, "owner_not_allowed"),
        (13, "title_too_long"),
        (14, "duplicate_reference"),
    ]
    with translation.override("en"):
        assert checked.errors[2].message == "Row 4: the municipality 'Skovde' does not exist"
    assert checked.rows == []


def test_the_error_message_is_swedish_in_swedish(world):
    checked = check_file(
        data=csv_bytes([["T", "Text", "Skovde"]]), filename="a.csv", consortium=world.consortium
    )
    with translation.override("sv"):
        message = checked.errors[0].message
    with translation.override("en"):
        assert checked.errors[0].message == "Row 2: the municipality 'Skovde' does not exist"
    assert message == "Rad 2: kommunen ”Skovde” finns inte"


def test_dry_run_checks_everything_and_changes_nothing(world, tmp_path):
    before = every_table_count()
    output = run_command(tmp_path, csv_bytes(many_rows(50, ["Skövde"])), "--dry-run")
    assert "Dry run: all 50 ideas can be imported; nothing was changed." in output
    assert every_table_count() == before
    assert not ReferenceCounter.objects.exists()


def test_ten_thousand_rows_import_with_progress(world, tmp_path):
    # No bound on the wall time here: a test's time follows the machine's load, and
    # speed is measured by benchmark commands, not by tests.
    data = csv_bytes(many_rows(10_000, ["Skövde", "HJO"]), delimiter=",", bom=True)
    output = run_command(tmp_path, data, "--consortium", world.consortium.slug)
    assert Idea.objects.count() == 10_000
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.IMPORTED).count() == 10_000
    # Progress as it goes: every 500 rows while checking and while writing.
    assert "Checked 500/10000 rows (5 %)" in output
    assert "Imported 5000/10000 rows (50 %)" in output
    assert output.count("Imported ") == 21  # 20 progress lines and the final one
    assert "Imported 10000 ideas" in output
    year = timezone.localdate().year
    references = set(Idea.objects.values_list("reference", flat=True))
    assert references == {f"SLU-{year}-{n:04d}" for n in range(1, 10_001)}
    assert ReferenceCounter.objects.get(year=year).last_number == 10_000


def test_references_continue_the_counter_of_handed_in_ideas(world):
    testing.submit_idea(world.skovde)  # takes number 1 of this year
    checked = check_file(
        data=csv_bytes(many_rows(3, ["Skövde"])), filename="a.csv", consortium=world.consortium
    )
    result = ideas_import(consortium=world.consortium, rows=checked.rows, source_name="a.csv")
    year = timezone.localdate().year
    assert (result.first_reference, result.last_reference) == (
        f"SLU-{year}-0002",
        f"SLU-{year}-0004",
    )
    # A later handed-in idea goes on from there.
    assert testing.submit_idea(world.hjo).reference == f"SLU-{year}-0005"


def test_progress_is_told_after_every_batch_while_writing(world):
    checked = check_file(
        data=csv_bytes(many_rows(1_200, ["Skövde"])), filename="a.csv", consortium=world.consortium
    )
    told: list[tuple[str, int, int]] = []
    ideas_import(
        consortium=world.consortium,
        rows=checked.rows,
        source_name="a.csv",
        progress=lambda phase, done, total: told.append((phase, done, total)),
    )
    assert told == [("writing", 500, 1200), ("writing", 1000, 1200), ("writing", 1200, 1200)]


def test_only_the_consortiums_municipalities_and_stages_are_found(world):
    other = testing.make_consortium("Fyrbodal", prefix="FYR")
    testing.make_municipality(other, "Uddevalla")
    checked = check_file(
        data=csv_bytes([["T", "Text", "Uddevalla"], ["T", "Text", "Skövde"]]),
        filename="a.csv",
        consortium=world.consortium,
    )
    assert [(e.line, e.code) for e in checked.errors] == [(2, "unknown_municipality")]


def test_owner_may_be_a_process_leader_and_stage_by_english_name_or_key(world):
    header = ["Title", "Text", "Municipality", "Stage", "Owner email", "Created"]
    rows = [
        ["A", "Text", "Hjo", "Assess", world.process_leader.email, "2025-01-02 13:45"],
        ["B", "Text", "Hjo", "received", "", datetime(2025, 1, 3, 8, 0)],
    ]
    checked = check_file(
        data=xlsx_bytes(rows, header=header), filename="a.xlsx", consortium=world.consortium
    )
    assert checked.errors == []
    assert [r.stage.key for r in checked.rows] == ["assess", "received"]
    assert checked.rows[0].owner == world.process_leader
    local = timezone.localtime(checked.rows[0].created_at)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2025-01-02", 13, 45)


def test_a_coach_of_the_municipality_may_own_but_a_manager_may_not(world):
    manager = testing.make_user("Chef", (Role.MANAGER, world.skovde_unit), email="c2@skovde.se")
    header = ["Titel", "Text", "Kommun", "Ägare"]
    checked = check_file(
        data=csv_bytes(
            [["A", "T", "Skövde", world.coach.email], ["B", "T", "Skövde", manager.email]],
            header=header,
        ),
        filename="a.csv",
        consortium=world.consortium,
    )
    assert [(e.line, e.code) for e in checked.errors] == [(3, "owner_not_allowed")]


def test_stage_counts_in_the_summary(world):
    checked = check_file(
        data=csv_bytes(
            [["A", "T", "Skövde", "Pröva"], ["B", "T", "Hjo", ""]],
            header=["Titel", "Text", "Kommun", "Steg"],
        ),
        filename="a.csv",
        consortium=world.consortium,
    )
    stages = {s.key: s.pk for s in Stage.objects.filter(consortium=world.consortium)}
    assert checked.summary["per_stage"] == {str(stages["assess"]): 1, str(stages["received"]): 1}
    assert checked.summary["per_municipality"] == [("Hjo", 1), ("Skövde", 1)]


def test_submitters_get_no_email_and_can_open_their_page(world, tmp_path, client):
    header = ["Titel", "Text", "Kommun", "Namn", "E-post"]
    run_command(tmp_path, csv_bytes([["A", "T", "Hjo", "Ida", "ida@hjo.se"]], header=header))
    submitter = Submitter.objects.get()
    assert mail.outbox == [] and OutboxEmail.objects.count() == 0
    response = client.get(reverse("ideas:submitter_page", args=[submitter.access_token]))
    assert response.status_code == 200
