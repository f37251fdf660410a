"""A long case's summary PDF is made by the worker and fetched from "my downloads"; short ones stay instant."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessLog, PreparedDownload
from cases import views
from cases.models import CaseAssignment
from registry.models import Person
from tests.factories.cases import make_case
from tests.factories.documents import add_consultations

Role = Person.Role


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def long_case(client, login_as, hub, monkeypatch):
    monkeypatch.setattr(views, "PDF_IN_REQUEST_MAX_CONSULTATIONS", 5)  # 6 consultations make a "long" case here
    worker = login_as(Role.HUB_WORKER, body=hub)
    case = make_case(lead=worker, name="長期 花子")
    add_consultations(case, by=worker.user, count=6, words=5)
    return worker, case


@pytest.mark.django_db
def test_a_long_case_is_queued_logged_and_fetched(client, long_case, django_capture_on_commit_callbacks):
    worker, case = long_case
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("cases:case_pdf", args=[case.uuid]))
    assert response.status_code == 302 and response["Location"] == reverse("audit:download_list")
    download = PreparedDownload.objects.get()
    assert download.is_ready and download.scope == AccessLog.Scope.CASE and download.object_label == case.number
    pdf = client.get(reverse("audit:download_file", args=[download.uuid]))
    assert pdf["Content-Disposition"] == f'attachment; filename="{case.number}.pdf"'
    text = re.sub(
        r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    )
    assert "長期花子" in text and "相談の記録5" in text
    rows = AccessLog.objects.filter(case_ref=str(case.uuid), outcome="allowed")
    assert rows.filter(action=AccessLog.Action.PDF, basis="assignment", object_label=case.number).count() == 1
    assert rows.filter(object_type="cases.case_summary.pdf.prepared").count() == 1
    assert rows.filter(object_type="cases.case_summary.pdf.download").count() == 1


@pytest.mark.django_db
def test_the_worker_checks_the_basis_again(client, long_case, django_capture_on_commit_callbacks):
    worker, case = long_case
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.get(reverse("cases:case_pdf", args=[case.uuid]))
    for assignment in CaseAssignment.objects.filter(case=case):
        assignment.ended_at = timezone.now()
        assignment.save()
    for callback in queued:
        callback()
    download = PreparedDownload.objects.get()
    assert (download.status, download.error) == (PreparedDownload.Status.FAILED, "PermissionDenied")


@pytest.mark.django_db
def test_a_short_case_is_still_answered_at_once(client, login_as, hub):
    worker = login_as(Role.HUB_WORKER, body=hub)
    case = make_case(lead=worker)
    response = client.get(reverse("cases:case_pdf", args=[case.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not PreparedDownload.objects.exists()
