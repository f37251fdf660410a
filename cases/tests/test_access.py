"""The access mechanism: bases, 404 + denied log outside scope, break-glass, the provider hook."""

import datetime
import uuid

import pytest
import time_machine
from django.db.models import Q
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases import access, services
from cases.models import BreakGlassAccess
from registry.models import Body, Person
from tests.factories.cases import make_case, make_hub_worker
from tests.factories.registry import make_person

Role = Person.Role
Basis = AccessLog.Basis


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _logs(case, outcome):
    return AccessLog.objects.filter(case_ref=str(case.uuid), outcome=outcome)


@pytest.mark.django_db
class TestBases:
    def test_assignment_lead_and_other_worker(self, bodies):
        lead = make_hub_worker()
        other = make_hub_worker()
        case = make_case(lead=lead)
        assert access.case_basis(lead.user, case) == Basis.ASSIGNMENT
        assert access.case_basis(other.user, case) is None
        supervisor = make_person(role=Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
        services.case_assign(case=case, lead=lead, others=[other], by=supervisor.user)
        assert access.case_basis(other.user, case) == Basis.ASSIGNMENT
        assert list(access.visible_cases(other.user)) == [case]

    def test_ended_assignment_ends_access(self, bodies):
        lead, second = make_hub_worker(), make_hub_worker()
        case = make_case(lead=lead)
        supervisor = make_person(role=Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
        services.case_assign(case=case, lead=second, others=[], by=supervisor.user)
        assert access.case_basis(lead.user, case) is None
        assert access.case_basis(second.user, case) == Basis.ASSIGNMENT

    def test_supervisor_sees_every_case(self, bodies):
        cases = [make_case(), make_case()]
        supervisor = make_person(role=Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
        assert set(access.visible_cases(supervisor.user)) == set(cases)
        assert access.case_basis(supervisor.user, cases[0]) == Basis.SUPERVISION

    @pytest.mark.parametrize(
        "role,code",
        [
            (Role.SECRETARIAT, "dept-jinken-danjo"),
            (Role.DEPARTMENT_STAFF, "dept-seikatsu-shien"),
            (Role.AGENCY_STAFF, "agency-ageo-police"),
            (Role.BUSINESS_MEMBER, None),
            (Role.SYSADMIN, "dept-jinken-danjo"),
        ],
    )
    def test_other_roles_see_no_case_file(self, bodies, role, code):
        make_case()
        body = Body.objects.get(code=code) if code else None
        person = make_person(role=role, body=body)
        assert not access.visible_cases(person.user).exists()

    def test_superuser_without_a_hub_role_sees_nothing(self, bodies, admin_user):
        make_case()
        assert not access.visible_cases(admin_user).exists()

    def test_a_person_who_left_loses_access(self, bodies):
        lead = make_hub_worker()
        case = make_case(lead=lead)
        lead.left_on = timezone.localdate()
        lead.save()
        lead.user.refresh_from_db()
        assert access.case_basis(lead.user, case) is None


@pytest.mark.django_db
class TestGetCaseForUser:
    def test_allowed_read_is_logged_with_basis(self, bodies):
        lead = make_hub_worker()
        case = make_case(lead=lead)
        got, basis = access.get_case_for_user(_request(lead.user), case.uuid)
        assert (got, basis) == (case, Basis.ASSIGNMENT)
        log = _logs(case, AccessLog.Outcome.ALLOWED).get()
        assert (log.basis, log.object_label, log.person_id) == (Basis.ASSIGNMENT, case.number, lead.pk)

    def test_denied_attempt_is_404_and_logged(self, bodies):
        from django.http import Http404

        case = make_case()
        outsider = make_hub_worker()
        with pytest.raises(Http404):
            access.get_case_for_user(_request(outsider.user), case.uuid)
        log = _logs(case, AccessLog.Outcome.DENIED).get()
        assert (log.basis, log.object_label, log.person_id) == (Basis.NONE, case.number, outsider.pk)

    def test_unknown_uuid_is_404_and_logged(self, bodies):
        from django.http import Http404

        worker = make_hub_worker()
        missing = uuid.uuid4()
        with pytest.raises(Http404):
            access.get_case_for_user(_request(worker.user), missing)
        assert AccessLog.objects.filter(object_id=str(missing), outcome="denied").count() == 1


OUTSIDERS = [
    (Role.HUB_WORKER, "hub"),
    (Role.SECRETARIAT, "dept-jinken-danjo"),
    (Role.DEPARTMENT_STAFF, "dept-seikatsu-shien"),
    (Role.AGENCY_STAFF, "agency-ageo-police"),
    (Role.BUSINESS_MEMBER, None),
    (Role.SYSADMIN, "dept-jinken-danjo"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role,code", OUTSIDERS)
@pytest.mark.parametrize(
    "url_name,method",
    [
        ("cases:case_detail", "get"),
        ("cases:case_pdf", "get"),
        ("cases:case_update", "post"),
        ("cases:consultation_create", "post"),
    ],
)
def test_out_of_scope_case_is_404_with_a_denied_row_for_each_role(
    client, login_as, bodies, role, code, url_name, method
):
    case = make_case(name="範囲外 花子")
    person = login_as(role, body=Body.objects.get(code=code) if code else None)
    response = getattr(client, method)(reverse(url_name, args=[case.uuid]))
    assert response.status_code == 404
    assert "範囲外" not in response.content.decode()
    log = _logs(case, AccessLog.Outcome.DENIED).get()
    assert log.person_id == person.pk
    assert not _logs(case, AccessLog.Outcome.ALLOWED).exists()


@pytest.mark.django_db
class TestBreakGlass:
    def test_needs_a_reason_of_ten_characters(self, client, login_as, hub):
        case = make_case()
        login_as(Role.HUB_WORKER, body=hub)
        url = reverse("cases:case_break_glass", args=[case.uuid])
        assert client.get(url).status_code == 200
        response = client.post(url, {"reason": "急ぎ"})
        assert response.status_code == 200
        assert not BreakGlassAccess.objects.exists()
        assert client.get(case.get_absolute_url()).status_code == 404

    def test_opens_for_limited_time_logged_with_reason_and_shown_to_supervisor(self, client, login_as, hub, settings):
        settings.BREAK_GLASS_HOURS = 4
        case = make_case()
        worker = login_as(Role.HUB_WORKER, body=hub)
        reason = "夜間の緊急電話で本人から連絡があり、担当者不在のため"
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            response = client.post(reverse("cases:case_break_glass", args=[case.uuid]), {"reason": reason})
            assert response.status_code == 302
            page = client.get(case.get_absolute_url())
            assert page.status_code == 200
            assert page.context["basis"] == Basis.BREAK_GLASS
            assert "緊急閲覧" in page.content.decode()
        glass = BreakGlassAccess.objects.get()
        assert glass.expires_at - glass.started_at == datetime.timedelta(hours=4)
        log = AccessLog.objects.get(action=AccessLog.Action.BREAK_GLASS)
        assert (log.reason, log.basis, log.person_id) == (reason, Basis.BREAK_GLASS, worker.pk)
        with time_machine.travel(start + datetime.timedelta(hours=3, minutes=59), tick=False):
            assert access.case_basis(worker.user, case) == Basis.BREAK_GLASS
        # (The session itself would have timed out by then; the basis is checked directly.)
        with time_machine.travel(start + datetime.timedelta(hours=4, minutes=1), tick=False):
            assert access.case_basis(worker.user, case) is None
            assert not access.visible_cases(worker.user).exists()
        login_as(Role.HUB_SUPERVISOR, body=hub)
        screen = client.get(reverse("cases:supervisor_home")).content.decode()
        assert reason in screen and case.number in screen and worker.name in screen

    def test_hours_come_from_the_setting(self, bodies, settings):
        settings.BREAK_GLASS_HOURS = 1
        case = make_case()
        worker = make_hub_worker()
        glass = services.break_glass_open(case=case, user=worker.user, reason="緊急の照会に対応するため必要")
        assert glass.expires_at - glass.started_at == datetime.timedelta(hours=1)

    def test_not_for_other_roles(self, client, login_as, bodies):
        case = make_case()
        login_as(Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-seikatsu-shien"))
        url = reverse("cases:case_break_glass", args=[case.uuid])
        assert client.post(url, {"reason": "どうしても見る必要があるため"}).status_code == 404
        assert not BreakGlassAccess.objects.exists()
        assert _logs(case, AccessLog.Outcome.DENIED).count() == 1


@pytest.mark.django_db
class TestBasisProviders:
    def test_a_registered_provider_opens_its_scope_only(self, bodies):
        case = make_case()
        agency_person = make_person(role=Role.AGENCY_STAFF, body=Body.objects.get(code="agency-ageo-police"))
        worker = make_hub_worker()

        def meeting_basis(person, scope):
            if scope == access.Scope.CASE_REVIEW and person.pk in (agency_person.pk, worker.pk):
                return Basis.MEETING, Q(pk__in=[case.pk])
            return None

        access.register_basis_provider(meeting_basis)
        try:
            got, basis = access.get_case_for_user(
                _request(agency_person.user), case.uuid, scope=access.Scope.CASE_REVIEW
            )
            assert (got, basis) == (case, Basis.MEETING)
            assert list(access.visible_cases(agency_person.user, scope=access.Scope.CASE_REVIEW)) == [case]
            # Department/agency staff never get the case file itself.
            assert access.case_basis(agency_person.user, case) is None
            assert not access.visible_cases(agency_person.user).exists()
        finally:
            access.unregister_basis_provider(meeting_basis)
        assert access.case_basis(agency_person.user, case, access.Scope.CASE_REVIEW) is None

    def test_providers_cannot_open_cases_to_roles_that_never_see_content(self, bodies):
        case = make_case()
        business = make_person(role=Role.BUSINESS_MEMBER)

        def leaky(person, scope):
            return Basis.MEETING, Q()

        access.register_basis_provider(leaky)
        try:
            assert access.case_basis(business.user, case, access.Scope.CASE_REVIEW) is None
            assert access.case_basis(business.user, case) is None
        finally:
            access.unregister_basis_provider(leaky)

    def test_a_provider_basis_reads_but_does_not_write(self, client, login_as, hub):
        case = make_case()
        worker = login_as(Role.HUB_WORKER, body=hub)

        def meeting_basis(person, scope):
            return (Basis.MEETING, Q(pk__in=[case.pk])) if person.pk == worker.pk else None

        access.register_basis_provider(meeting_basis)
        try:
            page = client.get(case.get_absolute_url())
            assert page.status_code == 200
            assert page.context["basis"] == Basis.MEETING
            assert "個別ケース検討会議" in page.content.decode()
            assert client.post(reverse("cases:case_stage", args=[case.uuid]), {"stage": "support"}).status_code == 403
        finally:
            access.unregister_basis_provider(meeting_basis)


@pytest.mark.django_db
def test_case_page_shows_the_viewers_basis(client, login_as, hub):
    worker = login_as(Role.HUB_WORKER, body=hub)
    case = make_case(lead=worker)
    body = client.get(case.get_absolute_url()).content.decode()
    assert "閲覧の根拠：担当" in body
    login_as(Role.HUB_SUPERVISOR, body=hub)
    assert "閲覧の根拠：統括" in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_deactivated_worker_is_refused_on_the_next_request(client, login_as, hub):
    worker = login_as(Role.HUB_WORKER, body=hub)
    case = make_case(lead=worker)
    assert client.get(case.get_absolute_url()).status_code == 200
    worker.user.is_active = False
    worker.user.save()
    response = client.get(case.get_absolute_url())
    assert response.status_code in (302, 404)
    assert "閲覧の根拠" not in response.content.decode()
