"""The case summary PDF (hub only, watermarked on every page) and the metadata-only admin."""

import datetime
import io
import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessLog
from cases import access, services
from cases.models import Case
from registry.models import Body, Person
from tests.factories.cases import make_case

Role = Person.Role
Basis = AccessLog.Basis


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


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s", "", "".join(page.extract_text() for page in reader.pages))


@pytest.mark.django_db
class TestAddressProtection:
    """Under 住民票の支援措置 the address, phone and safe contact stay off paper unless asked for with a reason."""

    SECRETS = ["上尾市秘匿町1-2-3", "090-1111-2222", "職場の内線のみ", "平日10時から12時", "実家に連絡しない"]

    @pytest.fixture
    def case(self, client, login_as, hub):
        self.worker = login_as(Role.HUB_WORKER, body=hub)
        return make_case(
            lead=self.worker,
            address="上尾市秘匿町1-2-3",
            phone="090-1111-2222",
            safe_contact_method="職場の内線のみ",
            safe_contact_times="平日10時から12時",
            safe_contact_never="実家に連絡しない",
            no_home_calls=True,
            address_protection=True,
            address_protection_until=timezone.localdate() + datetime.timedelta(days=200),
        )

    def url(self, case):
        return reverse("cases:case_pdf", args=[case.uuid])

    def test_get_leaves_them_off_and_says_so(self, client, case):
        response = client.get(self.url(case))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        text = _pdf_text(response)
        for secret in self.SECRETS:
            assert secret not in text
        assert "支援措置の実施中のため記載しない" in text
        assert "自宅への電話は不可" in text  # what must not be done still goes on paper
        log = AccessLog.objects.get(action=AccessLog.Action.PDF)
        assert (log.object_label, log.reason) == (case.number, "")

    def test_a_reason_puts_them_on_and_is_logged(self, client, case):
        response = client.post(self.url(case), {"reason": "一時保護所への移送手続のため"})
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{case.number}.pdf"'
        text = _pdf_text(response)
        for secret in self.SECRETS:
            assert secret in text
        assert "閲覧者が理由を記録して記載" in text
        log = AccessLog.objects.get(action=AccessLog.Action.PDF)
        assert log.reason == "住所等を記載：一時保護所への移送手続のため"
        assert (log.object_label, log.case_ref, log.basis, log.user) == (
            case.number,
            str(case.uuid),
            "assignment",
            self.worker.user,
        )

    def test_a_short_reason_gives_no_pdf(self, client, case):
        response = client.post(self.url(case), {"reason": "必要"})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert "10 文字以上" in body or "10文字以上" in body
        for secret in self.SECRETS:
            assert secret not in body
        assert not AccessLog.objects.filter(action=AccessLog.Action.PDF).exists()

    def test_the_case_page_offers_the_form_only_under_protection(self, client, case):
        assert "住所等を記載した概要PDF" in client.get(case.get_absolute_url()).content.decode()
        other = make_case(lead=self.worker)
        assert "住所等を記載した概要PDF" not in client.get(other.get_absolute_url()).content.decode()

    def test_a_reading_basis_may_not_ask_for_them(self, client, case, login_as, hub):
        reader = login_as(Role.HUB_WORKER, body=hub)

        def meeting_basis(person, scope):
            return (Basis.MEETING, Q(pk__in=[case.pk])) if person.pk == reader.pk else None

        access.register_basis_provider(meeting_basis)
        try:
            response = client.post(self.url(case), {"reason": "会議資料として必要なため"})
        finally:
            access.unregister_basis_provider(meeting_basis)
        assert response.status_code == 403
        # No PDF was made; the refusal itself is on record (issue 8: every denied attempt is logged).
        assert not AccessLog.objects.filter(action=AccessLog.Action.PDF, outcome="allowed").exists()
        assert AccessLog.objects.filter(action=AccessLog.Action.PDF, outcome="denied").count() == 1

    def test_outside_scope_is_404_and_logged(self, client, case, login_as, bodies):
        login_as(Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-seikatsu-shien"))
        response = client.post(self.url(case), {"reason": "一時保護所への移送手続のため"})
        assert response.status_code == 404
        assert AccessLog.objects.filter(outcome="denied", case_ref=str(case.uuid)).exists()


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
