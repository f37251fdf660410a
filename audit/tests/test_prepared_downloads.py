"""Prepared downloads: the audit CSV built in the worker, streamed to private storage, fetched from "my downloads"."""

import csv
import datetime
import io
import time
import tracemalloc

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit import exports
from audit.models import AccessLog, PreparedDownload
from audit.tests.test_audit_views import log_row
from registry.models import Body, Person
from tests.factories.registry import make_person

Role = Person.Role


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture
def auditor(bodies, login_as):
    return login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))


def request_csv(client, callbacks, **query):
    url = reverse("audit:accesslog_csv")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    with callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("audit:download_list")
    return PreparedDownload.objects.latest("id")


@pytest.mark.django_db
def test_the_csv_is_made_in_the_worker_and_fetched_from_my_downloads(
    client, auditor, django_capture_on_commit_callbacks, private_files
):
    log_row(auditor.user, case_ref="c-1", label="R6-0001")
    log_row(auditor.user, case_ref="c-2", label='=HYPERLINK("http://evil")')
    download = request_csv(client, django_capture_on_commit_callbacks, target="R6-0001")
    assert download.status == PreparedDownload.Status.READY
    assert (private_files / download.path).exists()  # outside the web root, in the private storage
    listing = client.get(reverse("audit:download_list")).content.decode()
    assert "閲覧記録（CSV）" in listing and reverse("audit:download_file", args=[download.uuid]) in listing

    response = client.get(reverse("audit:download_file", args=[download.uuid]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0][0] == "日時"
    assert [row[7] for row in table[1:]] == ["R6-0001"]  # the filters on screen carried to the worker
    kinds = list(AccessLog.objects.filter(user=auditor.user).values_list("object_type", flat=True))
    # the request, the file made, the file taken
    assert {"audit.accesslog.csv", "audit.accesslog.csv.prepared", "audit.accesslog.csv.download"} <= set(kinds)


@pytest.mark.django_db
def test_formula_cells_are_neutralised_in_the_streamed_csv(client, auditor, django_capture_on_commit_callbacks):
    log_row(auditor.user, case_ref="c-2", label='=HYPERLINK("http://evil")')
    download = request_csv(client, django_capture_on_commit_callbacks)
    content = b"".join(client.get(reverse("audit:download_file", args=[download.uuid])).streaming_content)
    assert "'=HYPERLINK" in content.decode("utf-8-sig")


@pytest.mark.django_db
def test_someone_elses_file_or_an_unknown_one_is_404_and_logged(
    client, auditor, login_as, django_capture_on_commit_callbacks
):
    download = request_csv(client, django_capture_on_commit_callbacks)
    client.logout()
    login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
    assert client.get(reverse("audit:download_file", args=[download.uuid])).status_code == 404
    assert AccessLog.objects.filter(object_id=str(download.uuid), outcome="denied").count() == 1
    assert download.title not in client.get(reverse("audit:download_list")).content.decode()


@pytest.mark.django_db
def test_files_expire_and_the_command_deletes_them(client, auditor, django_capture_on_commit_callbacks, private_files):
    download = request_csv(client, django_capture_on_commit_callbacks)
    assert timezone.now() + datetime.timedelta(hours=23) < download.expires_at  # the 24-hour default
    download.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    download.save(update_fields=["expires_at"])
    assert client.get(reverse("audit:download_file", args=[download.uuid])).status_code == 404
    call_command("prune_downloads", stdout=io.StringIO())
    assert not PreparedDownload.objects.filter(pk=download.pk).exists()
    assert not (private_files / download.path).exists()
    assert PreparedDownload.history.filter(uuid=download.uuid, history_type="-").exists()


@pytest.mark.django_db
def test_a_failing_builder_is_recorded_not_raised(client, auditor, django_capture_on_commit_callbacks, monkeypatch):
    def broken(download, out):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports._EXPORTS, "audit.accesslog.csv", exports.Export("audit.accesslog.csv", broken))
    download = request_csv(client, django_capture_on_commit_callbacks)
    assert (download.status, download.error) == (PreparedDownload.Status.FAILED, "RuntimeError")
    assert "作成できませんでした" in client.get(reverse("audit:download_list")).content.decode()


@pytest.mark.django_db
def test_only_auditors_may_ask_and_only_by_post(client, login_as, bodies):
    login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"))
    assert client.post(reverse("audit:accesslog_csv")).status_code == 403
    assert not PreparedDownload.objects.exists()
    client.logout()
    login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
    assert client.get(reverse("audit:accesslog_csv")).status_code == 405


STAND_IN_ROWS = 60_000


@pytest.mark.django_db
def test_a_big_export_streams_with_flat_memory_and_the_request_only_queues(
    client, auditor, django_capture_on_commit_callbacks, private_files
):
    """A scaled stand-in for the 5M-row log: 60,000 rows (about 10 MB of CSV). The request returns at
    once without building anything; the build holds a few thousand rows at a time, never the file."""
    clerk = make_person(role=Role.HUB_WORKER, body=Body.objects.get(code="hub"))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audit_accesslog (at, user_id, person_id, body_id, action, object_type, object_id,
                object_label, case_ref, scope, basis, outcome, reason, ip)
            SELECT now() - g * interval '1 minute', %s, %s, %s, 'view', 'cases.case',
                   md5(g::text), 'R6-' || g, md5(g::text), 'case', 'assignment', 'allowed',
                   '夜間の緊急対応のため閲覧した記録', '10.0.0.1'
            FROM generate_series(1, %s) AS g
            """,
            [clerk.user_id, clerk.pk, clerk.body_id, STAND_IN_ROWS],
        )
    client.get(reverse("audit:download_list"))  # warm: the first request of a process imports every view
    with django_capture_on_commit_callbacks(execute=False) as queued:
        began = time.monotonic()
        response = client.post(reverse("audit:accesslog_csv"))
        asked_in = time.monotonic() - began
    assert response.status_code == 302 and asked_in < 2  # the page only queued the work
    download = PreparedDownload.objects.get()
    assert download.status == PreparedDownload.Status.QUEUED and not download.path
    assert len(queued) == 1

    tracemalloc.start()
    exports.build(download)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = (private_files / download.path).stat().st_size
    assert download.status == PreparedDownload.Status.READY
    assert size > 8 * 1024 * 1024
    assert peak < size / 2, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
    with open(private_files / download.path, encoding="utf-8-sig") as f:
        assert sum(1 for _ in f) == STAND_IN_ROWS + 1 + 1  # header, the rows, this screen's own request row
