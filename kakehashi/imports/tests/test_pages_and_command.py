"""The import page (upload → job → result, through the test client; tasks run at once in
the tests) and manage.py import_rows."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from kakehashi.core.files import private_storage
from kakehashi.imports.models import ImportJob, ImportStatus
from kakehashi.people.models import Person
from kakehashi.testing.clients import client_for

from .helpers import PERSON_HEADER, csv_bytes, person_row, xlsx_bytes


def english(user):
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(client, kind, name, content, **extra):
    return client.post(
        "/imports/new/", {"kind": kind, "file": SimpleUploadedFile(name, content), **extra}
    )


@pytest.mark.sqlite
def test_upload_runs_the_job_and_the_page_shows_it_done(world):
    client = english(world.hana)
    page = client.get("/imports/")
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    content = xlsx_bytes(PERSON_HEADER, [person_row(n) for n in range(3)])
    response = upload(client, "persons", "staff.xlsx", content)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportStatus.DONE
    assert (job.rows_total, job.rows_done, job.error_count) == (3, 3, 0)
    assert (job.created_by, job.organization, job.kind) == (world.hana, world.care_home, "persons")
    assert job.finished_at is not None
    assert job.stored_file == ""
    assert not private_storage().listdir("imports")[1]  # the file is deleted after the job
    assert Person.objects.filter(family_name__startswith="IMPORTOVA").count() == 3

    detail = client.get(response["Location"])
    assert b"All 3 rows were imported." in detail.content
    assert b"<progress" in detail.content
    polled = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<html" not in polled.content
    assert b'id="import-status"' in polled.content
    assert b"every 1s" not in polled.content  # finished: the polling stops


def test_a_queued_job_is_polled_every_second(world):
    job = ImportJob.objects.create(
        created_by=world.hana, organization=world.care_home, kind="persons", file_name="a.csv"
    )
    page = english(world.hana).get(f"/imports/{job.pk}/", headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in page.content
    assert b"<progress" in page.content


@pytest.mark.sqlite
def test_a_file_with_bad_rows_shows_each_row_and_column_and_writes_nothing(world):
    client = english(world.hana)
    rows = [person_row(1), person_row(2, date_of_birth="1999-13-01"), person_row(3, nationality="")]
    response = upload(client, "persons", "staff.csv", csv_bytes(PERSON_HEADER, rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {(3, "date_of_birth"), (4, "nationality")}
    assert not Person.objects.filter(family_name__startswith="IMPORTOVA").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported." in page
    assert "<code>date_of_birth</code>" in page
    assert '<td data-label="Row">3</td>' in page


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "Only CSV (UTF-8) and Excel"),
        ("old.csv", "nom,prénom\n".encode("cp1252"), "not UTF-8"),
        ("staff.csv", b"family_name,shoe_size\nA,1\n", "Unknown column"),
    ],
)
def test_a_bad_file_is_refused_on_the_form(world, name, content, words):
    response = upload(english(world.hana), "persons", name, content)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not ImportJob.objects.exists()


def test_who_may_not_import_is_refused_and_sees_no_link(world):
    assert english(world.sato).get("/imports/").status_code == 403
    refused = upload(english(world.sato), "persons", "a.csv", csv_bytes(PERSON_HEADER, []))
    assert refused.status_code == 403
    assert b"/imports/" not in english(world.sato).get("/persons/").content
    assert b"/imports/" in english(world.hana).get("/persons/").content
    assert b"/imports/" in english(world.hana).get("/cases/").content
    # An agency imports persons but opens no case: the kind is not offered.
    response = upload(english(world.bakyt), "cases", "a.csv", b"person,business_category\n")
    assert response.status_code == 422
    assert not ImportJob.objects.exists()


def test_a_job_is_seen_only_by_its_organization(world):
    job = ImportJob.objects.create(
        created_by=world.hana, organization=world.care_home, kind="persons", file_name="a.csv"
    )
    assert english(world.vic).get(f"/imports/{job.pk}/").status_code == 200  # same employer
    assert english(world.ito).get(f"/imports/{job.pk}/").status_code == 404
    assert b"a.csv" not in english(world.ito).get("/imports/").content


# --- manage.py import_rows ----------------------------------------------------------------


def command(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_rows",
        "--kind=persons",
        f"--file={path}",
        "--as=hana",
        "--language=en",
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue()


@pytest.mark.sqlite
def test_the_command_dry_run_then_real(world, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes(csv_bytes(PERSON_HEADER, [person_row(n) for n in range(4)]))
    assert "4 rows checked" in command(path, "--dry-run")
    assert not Person.objects.filter(family_name__startswith="IMPORTOVA").exists()
    assert "4 rows imported" in command(path)
    assert Person.objects.filter(family_name__startswith="IMPORTOVA").count() == 4


def test_the_command_lists_every_error_and_fails(world, tmp_path):
    path = tmp_path / "persons.xlsx"
    rows = [person_row(1, given_names=""), person_row(2, passport_number="12")]
    path.write_bytes(xlsx_bytes(PERSON_HEADER, rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_rows", "--kind=persons", f"--file={path}", "--as=hana", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "row\tcolumn\tmessage"
    assert {tuple(line.split("\t")[:2]) for line in lines[1:]} == {
        ("2", "given_names"),
        ("3", "passport_number"),
    }
    assert not Person.objects.filter(family_name__startswith="IMPORTOVA").exists()


def test_the_command_refuses_a_user_without_the_right(world, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes(csv_bytes(PERSON_HEADER, [person_row(1)]))
    with pytest.raises(CommandError):
        call_command("import_rows", "--kind=persons", f"--file={path}", "--as=sato")
