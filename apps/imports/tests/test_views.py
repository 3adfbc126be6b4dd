"""The upload page, the confirm step and the job page, through the real worker; and who
may reach them."""

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from apps.core import testing
from apps.ideas.models import Idea, TimelineEntry
from apps.imports.models import ImportJob
from apps.imports.progress import progress_read, progress_write
from apps.imports.reading import MAX_XLSX_BYTES
from apps.imports.testing import csv_bytes, many_rows, xlsx_bytes
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role

UPLOAD = reverse("imports:upload")


@pytest.fixture(autouse=True)
def _no_embeddings(settings):
    # The worker would also compute the semantic vectors of every imported idea (the
    # search work's task, queued by ideas_written); these tests are about the import.
    settings.SLUSS_SEMANTIC_SEARCH = False


def upload(client, data: bytes, name: str = "ideer.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def every_table_count() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def good_job(client, world, rows: int = 3) -> ImportJob:
    client.force_login(world.process_leader)
    response = upload(client, csv_bytes(many_rows(rows, ["Skövde", "Hjo"])))
    assert response.status_code == 302
    return ImportJob.objects.get()


def test_upload_page_documents_the_columns(client, world):
    client.force_login(world.process_leader)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("titel", "beskrivning", "kommun", "e post", "taggar", "referens", "ägare"):
        assert f"<code>{name}</code>" in page
    assert 'scope="col"' in page and "<caption>" in page


def test_a_good_file_is_dry_run_and_waits_for_the_confirm_step(client, world):
    client.force_login(world.process_leader)
    before = every_table_count()
    response = upload(client, csv_bytes(many_rows(4, ["Skövde", "Hjo"])))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.status, job.total_rows, job.created_by) == ("checked", 4, world.process_leader)
    assert job.summary["per_municipality"] == [["Hjo", 2], ["Skövde", 2]]
    assert job.file.read().startswith(b"Titel;")  # kept privately
    # The dry run keeps the checked file as a job and changes nothing else.
    after = every_table_count()
    assert after.pop("imports.ImportJob") == before.pop("imports.ImportJob") + 1
    assert after == before
    page = client.get(response["Location"]).content.decode()
    assert "Import 4 ideas" in page or "Importera 4 idéer" in page
    assert reverse("imports:start", args=[job.pk]) in page


def test_a_file_with_bad_rows_is_reported_row_by_row_and_nothing_changes(client, world):
    client.force_login(world.process_leader)
    rows = [*many_rows(8, ["Skövde"]), ["Idé", "Text", "Skovde"], ["", "Text", "Hjo"]]
    before = every_table_count()
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Rad 10: kommunen ”Skovde” finns inte" in page
    assert "Rad 11: idéns namn saknas" in page
    assert every_table_count() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "tom.csv", "The file is empty."),
        (b"%PDF-1.4", "ideer.pdf", "Choose a CSV file (.csv) or an Excel workbook (.xlsx)."),
        (csv_bytes([["A", "B"]], header=["Titel", "Kommun"]), "a.csv", "Columns missing: Text"),
        (
            csv_bytes([["A", "B", "C", "D"]], header=["Titel", "Text", "Idé", "Kommun"]),
            "a.csv",
            "both mean Text",
        ),
        (xlsx_bytes([["A"]]) + b"\0" * MAX_XLSX_BYTES, "stor.xlsx", "larger than 2 MB"),
    ],
)
def test_file_problems_come_back_on_the_form(client, world, data, name, message, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(world.process_leader)
    response = upload(client, data, name)
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not ImportJob.objects.exists()


def test_no_file_chosen(client, world):
    client.force_login(world.process_leader)
    response = client.post(UPLOAD, {})
    assert response.status_code == 400
    assert 'href="#id_file"' in response.content.decode()


def test_running_job_shows_progress_and_polls(client, world):
    job = good_job(client, world)
    ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=10_000)
    progress_write(job.pk, phase="writing", done=4_000, total=10_000)
    url = reverse("imports:job", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<progress max="10000" value="4000"' in page
    assert f'href="{url}"' in page  # the refresh link when JavaScript is off
    # An htmx poll gets the fragment; the status region announces only a change.
    same = client.get(url, {"seen": "running"}, headers={"HX-Request": "true"})
    assert 'hx-swap-oob="true"' in same.content.decode()
    assert "visually-hidden" not in same.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status="done", imported_count=10_000)
    done = client.get(url, {"seen": "running"}, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done  # polling stops
    assert "10000 idéer har importerats." in done


@pytest.mark.django_db(transaction=True)
def test_the_page_flow_imports_ten_thousand_ideas_through_the_worker(client, world):
    job = good_job(client, world, rows=10_000)
    assert Idea.objects.count() == 0
    response = client.post(reverse("imports:start", args=[job.pk]))
    assert response.status_code == 302
    # A second confirm (double click) queues nothing more.
    client.post(reverse("imports:start", args=[job.pk]))
    assert DBTaskResult.objects.filter(task_path__endswith="run_import_job").count() == 1
    job.refresh_from_db()
    assert job.status == "queued"
    queued_page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in queued_page

    testing.run_worker()

    job.refresh_from_db()
    assert (job.status, job.total_rows, job.imported_count) == ("done", 10_000, 10_000)
    assert job.started_at <= job.finished_at
    assert progress_read(job.pk) is None  # the final counts are on the job now
    assert Idea.objects.count() == 10_000
    entries = TimelineEntry.objects.filter(kind=TimelineEntry.Kind.IMPORTED)
    assert entries.count() == 10_000
    assert set(entries.values_list("actor", flat=True)) == {world.process_leader.pk}
    assert OutboxEmail.objects.count() == 0 and mail.outbox == []
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert job.first_reference in page and job.last_reference in page
    assert "hx-trigger" not in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_checks_again_and_imports_nothing_when_a_row_went_bad(client, world):
    job = good_job(client, world, rows=4)
    world.hjo.is_active = False
    world.hjo.save()
    client.post(reverse("imports:start", args=[job.pk]))
    testing.run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert [e["line"] for e in job.errors] == [2, 4]  # the Hjo rows
    assert Idea.objects.count() == 0
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Rad 2: kommunen ”Hjo” finns inte" in page


def test_a_coach_or_another_consortiums_process_leader_gets_404_on_a_job(client, world):
    job = good_job(client, world)
    other = testing.make_consortium("Fyrbodal", prefix="FYR")
    testing.make_municipality(other, "Uddevalla")
    other_leader = testing.make_user("Pia", (Role.PROCESS_LEADER, other), email="pl@fyrbodal.se")
    for person in (world.coach, other_leader):
        client.force_login(person)
        assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
        assert client.post(reverse("imports:start", args=[job.pk])).status_code == 404
    # The other consortium's process leader has their own upload page, without this job.
    page = client.get(UPLOAD)
    assert page.status_code == 200 and job.original_name not in page.content.decode()
    job.refresh_from_db()
    assert job.status == "checked"
    client.force_login(world.coach)
    assert client.get(UPLOAD).status_code == 404


def test_another_consortiums_process_leader_imports_into_their_own(client, world):
    other = testing.make_consortium("Fyrbodal", prefix="FYR")
    testing.make_municipality(other, "Uddevalla")
    other_leader = testing.make_user("Pia", (Role.PROCESS_LEADER, other), email="pl@fyrbodal.se")
    client.force_login(other_leader)
    refused = upload(client, csv_bytes([["Idé", "Text", "Skövde"]]))
    assert refused.status_code == 400  # Skövde is not one of theirs
    assert upload(client, csv_bytes([["Idé", "Text", "Uddevalla"]])).status_code == 302
    assert ImportJob.objects.get().consortium == other


def test_the_menu_links_to_importing_for_process_leaders_only(client, world):
    client.force_login(world.process_leader)
    assert f'href="{UPLOAD}"' in client.get(reverse("core:start")).content.decode()
    client.force_login(world.coach)
    assert f'href="{UPLOAD}"' not in client.get(reverse("core:start")).content.decode()


def test_the_upload_page_reads_as_many_queries_with_one_or_many_jobs(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(UPLOAD).status_code == 200
        return len(captured)

    good_job(client, world)
    with_one = queries()
    for _ in range(4):
        upload(client, csv_bytes(many_rows(2, ["Hjo"])))
    assert ImportJob.objects.count() == 5
    assert queries() == with_one
