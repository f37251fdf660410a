"""The audit-trail findings of the acceptance run (issue 8 §2–3), one test each.

Each of these failed on the code before the access shape: rows filed on the wrong audit screen,
refusals without a row, allowed rows for refused requests, an unlogged admin shortcut, a search that
told any hub worker the stage and the perpetrator flag of other workers' cases, cacheable case pages,
disclosure rows written outside the deed's transaction, and five answers to "who is this person today".
"""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.access import access_logs_visible_to
from audit.models import AccessLog
from cases import access, services
from cases.models import Information, PacketField, Referral
from registry import services as registry_services
from registry.models import Body, Person
from registry.roles import current_person, role_of
from tests.factories.cases import make_case, make_hub_worker, make_plan_item
from tests.factories.registry import make_application, make_person

Role = Person.Role
Scope = AccessLog.Scope


def _new_rows(before: int):
    return AccessLog.objects.filter(id__gt=before)


def _last() -> int:
    return AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def auditors(bodies):
    supervisor = make_person(role=Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
    secretariat = make_person(role=Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    return supervisor.user, secretariat.user


def _on_screens(row, auditors):
    """(on the supervisor's screen, on the secretariat's screen)"""
    supervisor, secretariat = auditors
    return (
        access_logs_visible_to(supervisor).filter(pk=row.pk).exists(),
        access_logs_visible_to(secretariat).filter(pk=row.pk).exists(),
    )


def _referral(case, dept, by):
    item = make_plan_item(case, body=dept, by=by)
    return services.referral_send(
        plan_item=item,
        to_body=dept,
        fields=[PacketField.CATEGORIES],
        request="生活保護の申請について相談に乗ってください。",
        legal_basis="life_or_body",
        legal_basis_note="本人の生命に危険があり同意を得る時間がないため。",
        by=by,
        access_basis="assignment",
    )


@pytest.mark.django_db
class TestCaseSideRowsReachTheCaseAuditor:
    def test_denied_read_of_information_linked_to_someone_elses_case(self, client, login_as, hub, auditors):
        case = make_case()
        sender = make_person(role=Role.BUSINESS_MEMBER)
        item = services.information_submit(
            by=sender.user, body=sender.body, data={"observation": "あざがあった。", "awareness": "unknown"}
        )
        services.information_link(item=item, case=case, by=case.opened_by)
        login_as(Role.HUB_WORKER, body=hub)
        before = _last()
        assert client.get(reverse("cases:intake_detail", args=[item.uuid])).status_code == 404
        row = _new_rows(before).get()
        assert (row.outcome, row.scope) == ("denied", Scope.CASE)
        assert _on_screens(row, auditors) == (True, False)

    @pytest.mark.parametrize("name", ["cases:case_detail", "cases:referral_detail"])
    def test_requests_for_nonexistent_ids(self, client, login_as, hub, auditors, name):
        login_as(Role.HUB_WORKER, body=hub)
        before = _last()
        assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404
        row = _new_rows(before).get()
        assert _on_screens(row, auditors) == (True, False)

    def test_case_lists(self, client, login_as, hub, auditors):
        login_as(Role.HUB_WORKER, body=hub)
        before = _last()
        assert client.get(reverse("cases:worker_home")).status_code == 200
        assert client.get(reverse("cases:intake_queue")).status_code == 200
        rows = list(_new_rows(before))
        assert len(rows) == 2 and all(_on_screens(r, auditors) == (True, False) for r in rows)


@pytest.mark.django_db
class TestRoleLevelRefusalsAreLogged:
    @pytest.mark.parametrize(
        ("role", "code", "name", "status"),
        [
            (Role.SECRETARIAT, "dept-jinken-danjo", "cases:intake_queue", 403),
            (Role.DEPARTMENT_STAFF, "dept-seikatsu-shien", "cases:case_search", 403),
            (Role.HUB_WORKER, "hub", "audit:accesslog_list", 403),
            (Role.AGENCY_STAFF, "agency-ageo-police", "audit:change_list", 403),
            (Role.HUB_WORKER, "hub", "registry:application_list", 403),
        ],
    )
    def test_403_leaves_a_denied_row(self, client, login_as, bodies, role, code, name, status):
        login_as(role, body=Body.objects.get(code=code))
        before = _last()
        assert client.get(reverse(name)).status_code == status
        assert _new_rows(before).filter(outcome="denied").count() == 1

    def test_404_on_an_application_id_for_other_roles(self, client, login_as, hub):
        application = make_application()
        login_as(Role.HUB_WORKER, body=hub)
        before = _last()
        assert client.get(reverse("registry:application_detail", args=[application.uuid])).status_code == 404
        row = _new_rows(before).get()
        assert (row.outcome, row.scope, row.object_id) == ("denied", Scope.NETWORK, str(application.uuid))


@pytest.mark.django_db
class TestBreakGlass:
    def test_the_form_names_the_case_so_showing_it_is_logged(self, client, login_as, hub, auditors):
        case = make_case()
        login_as(Role.HUB_WORKER, body=hub)
        before = _last()
        page = client.get(reverse("cases:case_break_glass", args=[case.uuid]))
        assert page.status_code == 200 and case.number in page.content.decode()
        row = _new_rows(before).get()
        assert (row.outcome, row.case_ref, row.scope) == ("allowed", str(case.uuid), Scope.CASE)
        assert page["Cache-Control"].count("no-store") == 1

    def test_a_refused_attempt_is_logged(self, client, login_as, hub):
        case = make_case()
        login_as(Role.HUB_WORKER, body=hub)
        before = _last()
        response = client.post(reverse("cases:case_break_glass", args=[case.uuid]), {"reason": "見たい"})
        assert response.status_code == 200
        row = _new_rows(before).get()
        assert (row.action, row.outcome, row.case_ref) == (AccessLog.Action.BREAK_GLASS, "denied", str(case.uuid))
        assert not access.case_basis(response.wsgi_request.user, case)


@pytest.mark.django_db
class TestOnlyTheOutcomeTheUserGotIsLogged:
    def test_a_plan_item_of_another_case_under_this_case(self, client, login_as, hub, seikatsu):
        worker = login_as(Role.HUB_WORKER, body=hub)
        mine = make_case(lead=worker)
        other_item = make_plan_item(make_case(), body=seikatsu, by=make_hub_worker().user)
        before = _last()
        url = reverse("cases:plan_item_update", args=[mine.uuid, other_item.pk])
        assert client.get(url).status_code == 404
        rows = _new_rows(before)
        assert not rows.filter(outcome="allowed").exists()
        assert rows.filter(outcome="denied").count() == 1

    def test_get_on_the_assign_page_by_a_worker(self, client, login_as, hub):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        before = _last()
        assert client.get(reverse("cases:case_assign", args=[case.uuid])).status_code == 403
        rows = _new_rows(before)
        assert not rows.filter(outcome="allowed").exists()
        assert rows.filter(outcome="denied", case_ref=str(case.uuid)).count() == 1

    def test_get_on_the_return_page_by_the_hub(self, client, login_as, hub, seikatsu):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        referral = _referral(case, seikatsu, worker.user)
        before = _last()
        assert client.get(reverse("cases:referral_return", args=[referral.uuid])).status_code == 403
        rows = _new_rows(before)
        assert not rows.filter(outcome="allowed").exists()
        assert rows.filter(outcome="denied").count() == 1


@pytest.mark.django_db
class TestAdminShortcut:
    def test_closed_for_cases_and_referrals_and_logged(self, admin_client, hub, seikatsu):
        worker = make_hub_worker()
        case = make_case(lead=worker)
        referral = _referral(case, seikatsu, worker.user)
        for obj in (case, referral):
            content_type = ContentType.objects.get_for_model(obj)
            before = _last()
            response = admin_client.get(f"/admin/r/{content_type.pk}/{obj.pk}/")
            assert response.status_code == 404
            assert _new_rows(before).filter(outcome="denied", scope=Scope.CASE).count() == 1
        # A pk that names no case answers exactly the same.
        content_type = ContentType.objects.get_for_model(case)
        assert admin_client.get(f"/admin/r/{content_type.pk}/999999/").status_code == 404

    def test_still_works_for_the_roster(self, admin_client, hub):
        content_type = ContentType.objects.get_for_model(Body)
        response = admin_client.get(f"/admin/r/{content_type.pk}/{hub.pk}/")
        assert response.status_code == 302 and response["Location"].endswith(hub.get_absolute_url())


@pytest.mark.django_db
class TestSearch:
    def test_outside_her_bases_a_match_only_says_a_case_exists(self, client, login_as, hub, auditors):
        worker = login_as(Role.HUB_WORKER, body=hub)
        other = make_case(name_reading="ミツケ ハナコ", perpetrator_reading="カガイ タロウ")
        other.stage = "support"
        before = _last()
        page = client.post(reverse("cases:case_search"), {"reading": "カガイタロウ"})
        html = page.content.decode()
        assert other.number not in html and "加害者として記録" not in html and "支援" not in html.split("結果")[-1]
        assert "該当するケースがあります" in html
        assert reverse("cases:case_break_glass", args=[other.uuid]) in html
        row = _new_rows(before).get()
        assert (row.case_ref, row.object_label, row.scope) == (str(other.uuid), other.number, Scope.CASE)
        assert _on_screens(row, auditors) == (True, False)
        assert row.person_id == worker.pk

    def test_a_search_that_matches_nothing_is_logged_too(self, client, login_as, hub):
        login_as(Role.HUB_WORKER, body=hub)
        before = _last()
        client.post(reverse("cases:case_search"), {"reading": "ダレモイナイ"})
        row = _new_rows(before).get()
        assert (row.scope, row.case_ref) == (Scope.CASE, "")


@pytest.mark.django_db
class TestNoStoreAndErrorReports:
    def test_confidential_pages_are_not_cached(self, client, login_as, hub, seikatsu):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        referral = _referral(case, seikatsu, worker.user)
        for url in (case.get_absolute_url(), referral.get_absolute_url(), reverse("cases:intake_queue")):
            response = client.get(url)
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"], url
        # A page no helper served keeps the ordinary caching rules.
        assert "no-store" not in client.get(reverse("registry:body_list")).get("Cache-Control", "")

    def test_audit_screens_are_not_cached(self, client, login_as, hub):
        login_as(Role.HUB_SUPERVISOR, body=hub)
        assert "no-store" in client.get(reverse("audit:accesslog_list"))["Cache-Control"]

    def test_views_taking_case_fields_hide_them_from_error_reports(self, client, login_as, hub):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        for url in (
            reverse("cases:case_update", args=[case.uuid]),
            reverse("cases:consultation_create", args=[case.uuid]),
            reverse("cases:info_create"),
            reverse("cases:case_search"),
        ):
            response = client.post(url, {"name": "秘密 花子"})
            assert response.wsgi_request.sensitive_post_parameters == "__ALL__", url


@pytest.mark.django_db
class TestDisclosureRowsInsideTheDeed:
    def test_referral_send_writes_its_row_in_the_service(self, hub, seikatsu):
        worker = make_hub_worker()
        case = make_case(lead=worker)
        referral = _referral(case, seikatsu, worker.user)
        row = AccessLog.objects.get(object_id=str(referral.uuid), action=AccessLog.Action.EXPORT)
        assert (row.scope, row.basis, row.person_id) == (Scope.CASE, "assignment", worker.pk)

    def test_a_refused_referral_leaves_neither_packet_nor_row(self, hub, seikatsu):
        from django.core.exceptions import ValidationError

        worker = make_hub_worker()
        case = make_case(lead=worker)
        item = make_plan_item(case, body=seikatsu, by=worker.user)
        with pytest.raises(ValidationError):
            services.referral_send(
                plan_item=item,
                to_body=seikatsu,
                fields=[PacketField.CATEGORIES],
                request="依頼",
                legal_basis="consent",
                by=worker.user,
                access_basis="assignment",
            )
        assert not Referral.objects.exists()
        assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()

    def test_break_glass_writes_its_row_in_the_service(self, hub):
        case = make_case()
        worker = make_hub_worker()
        services.break_glass_open(case=case, user=worker.user, reason="夜間の緊急照会に対応するため", ip="10.0.0.5")
        row = AccessLog.objects.get(action=AccessLog.Action.BREAK_GLASS, case_ref=str(case.uuid))
        assert (row.basis, row.ip, row.scope) == ("break_glass", "10.0.0.5", Scope.CASE)


@pytest.mark.django_db
class TestOneAnswerToWhoThisPersonIsToday:
    def test_a_leaving_date_in_the_future_keeps_every_answer_current(self, client, login_as, hub):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        worker.left_on = timezone.localdate() + datetime.timedelta(days=10)
        worker.save()
        assert current_person(worker.user) == worker
        assert worker.is_current_on(timezone.localdate())
        assert Person.objects.current().filter(pk=worker.pk).exists()
        assert client.get(case.get_absolute_url()).status_code == 200  # the case bases agree
        later = timezone.localdate() + datetime.timedelta(days=10)
        assert not worker.is_current_on(later)
        assert not Person.objects.current(on=later).filter(pk=worker.pk).exists()

    def test_a_body_that_left_ends_every_answer(self, bodies):
        shop = make_person(role=Role.BUSINESS_MEMBER)
        registry_services.body_withdraw(body=shop.body, left_on=timezone.localdate(), reason="閉店", by=None)
        shop.refresh_from_db()
        user = shop.user
        user.refresh_from_db()
        assert current_person(user) is None and role_of(user) is None
        assert not Person.objects.current().filter(pk=shop.pk).exists()

    def test_a_role_changes_with_its_group(self, admin_client, hub):
        person = make_person(role=Role.HUB_WORKER, body=hub)
        registry_services.person_role_change(person=person, role=Role.HUB_SUPERVISOR, by=None)
        assert list(person.user.groups.values_list("name", flat=True)) == ["role:hub_supervisor"]
        assert person.history.first().role == Role.HUB_SUPERVISOR

    def test_the_admin_changes_a_role_through_the_service(self, admin_client, hub):
        person = make_person(role=Role.HUB_WORKER, body=hub)
        url = reverse("admin:registry_person_change", args=[person.pk])
        form = admin_client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(
            {
                "role": Role.HUB_SUPERVISOR,
                "user": person.user_id,
                "body": hub.pk,
                "started_on": person.started_on.isoformat(),
            }
        )
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        person.refresh_from_db()
        assert person.role == Role.HUB_SUPERVISOR
        assert list(person.user.groups.values_list("name", flat=True)) == ["role:hub_supervisor"]

    def test_information_sender_needs_a_current_membership(self, bodies):
        shop = make_person(role=Role.BUSINESS_MEMBER)
        shop.user.is_active = False
        shop.user.save()
        client = Client()
        client.force_login(shop.user)
        assert client.get(reverse("cases:info_create")).status_code == 302  # inactive: not signed in at all
        assert not Information.objects.exists()
