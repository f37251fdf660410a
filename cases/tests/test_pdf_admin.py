"""The case summary PDF (hub only, watermarked on every page) and the metadata-only admin."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessLog
from cases import services
from cases.models import Case
from registry.models import Body, Person
from tests.factories.cases import make_case

Role = Person.Role


@pytest.mark.django_db
def test_summary_pdf_is_watermarked_on_every_page_and_named_by_number(client, login_as, hub):
    worker = login_as(Role.HUB_WORKER, body=hub)
    case = make_case(lead=worker, name="印刷 花子")
    for i in range(60):
        services.consultation_record(
            case=case,
            data={"at": timezone.now(), "method": "phone", "content": f"相談の記録 {i} " + "経過" * 40},
            by=worker.user,
        )
    response = client.get(reverse("cases:case_pdf", args=[case.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.number}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        text = page.extract_text().replace(" ", "").replace("\n", "")
        assert worker.name.replace(" ", "") in text
        assert "閲覧者" in text
    assert "印刷花子" in reader.pages[0].extract_text().replace(" ", "")
    log = AccessLog.objects.get(action=AccessLog.Action.PDF)
    assert (log.object_label, log.basis, log.outcome) == (case.number, "assignment", "allowed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,code",
    [(Role.DEPARTMENT_STAFF, "dept-seikatsu-shien"), (Role.SECRETARIAT, "dept-jinken-danjo"), (Role.HUB_WORKER, "hub")],
)
def test_summary_pdf_is_404_without_a_basis(client, login_as, bodies, role, code):
    case = make_case()
    login_as(role, body=Body.objects.get(code=code))
    assert client.get(reverse("cases:case_pdf", args=[case.uuid])).status_code == 404
    assert AccessLog.objects.filter(action="pdf", outcome="denied", case_ref=str(case.uuid)).exists()


@pytest.mark.django_db
def test_admin_shows_case_metadata_only(admin_client, bodies):
    case = make_case(name="管理 花子", address="上尾市管理町", notes="管理画面に出てはならないメモ")
    for url in [
        reverse("admin:cases_case_changelist"),
        reverse("admin:cases_case_change", args=[case.pk]),
        reverse("admin:cases_information_changelist"),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert case.number in body or "information" in url
        for secret in ["管理 花子", "上尾市管理町", "管理画面に出てはならない"]:
            assert secret not in body
    # simple-history's history view prints old -> new values: closed for case models.
    assert admin_client.get(reverse("admin:cases_case_history", args=[case.pk])).status_code == 404
    # Read-only: no edits through the admin.
    assert admin_client.post(reverse("admin:cases_case_change", args=[case.pk]), {"stage": "closed"}).status_code == 403
    assert Case.objects.get(pk=case.pk).stage != "closed"


def test_no_admin_field_of_a_case_model_is_encrypted_or_free_text():
    from django.apps import apps
    from django.contrib import admin

    from cases.fields import EncryptedTextField

    for model in apps.get_app_config("cases").get_models():
        if model.__name__.startswith("Historical"):
            continue
        model_admin = admin.site._registry[model]
        for name in model_admin.get_fields(request=None):
            field = model._meta.get_field(name)
            assert not isinstance(field, EncryptedTextField), f"{model.__name__}.{name}"
            assert field.get_internal_type() not in ("TextField", "JSONField"), f"{model.__name__}.{name}"
        assert not set(model_admin.list_display) - {"pk", "__str__"} - set(model_admin.get_fields(request=None))
