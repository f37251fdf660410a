import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AccessLog
from audit.services import access_log
from registry.models import Body, Person
from tests.factories.registry import make_person

Role = Person.Role


def log_row(user, *, case_ref="", label="", action=AccessLog.Action.VIEW, allowed=True):
    request = RequestFactory().get("/")
    request.user = user
    return access_log(
        request=request,
        action=action,
        object_type="cases.case" if case_ref else "registry.body",
        object_id=case_ref or "1",
        object_label=label,
        case_ref=case_ref,
        scope=AccessLog.Scope.CASE if case_ref else AccessLog.Scope.NETWORK,
        allowed=allowed,
    )


@pytest.fixture
def rows(bodies):
    hub_worker = make_person(role=Role.HUB_WORKER, body=Body.objects.get(code="hub"), name="相談員甲")
    clerk = make_person(role=Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-seikatsu-shien"), name="職員乙")
    case_row = log_row(hub_worker.user, case_ref="8d3c2f4e-0000-0000-0000-000000000001", label="R6-0001")
    registry_row = log_row(clerk.user, label="body-7")
    denied = log_row(clerk.user, case_ref="8d3c2f4e-0000-0000-0000-000000000002", label="R6-0002", allowed=False)
    return case_row, registry_row, denied


@pytest.mark.django_db
class TestAccessLogScreen:
    def test_supervisor_sees_case_rows_only(self, client, login_as, rows):
        case_row, registry_row, denied = rows
        login_as(Role.HUB_SUPERVISOR)
        response = client.get(reverse("audit:accesslog_list"))
        assert response.status_code == 200
        shown = {log.pk for log in response.context["page"]}
        assert case_row.pk in shown and denied.pk in shown
        assert registry_row.pk not in shown

    def test_secretariat_sees_non_case_rows_only(self, client, login_as, rows):
        case_row, registry_row, denied = rows
        login_as(Role.SECRETARIAT)
        response = client.get(reverse("audit:accesslog_list"))
        shown = {log.pk for log in response.context["page"]}
        assert registry_row.pk in shown
        assert case_row.pk not in shown and denied.pk not in shown

    def test_filters_by_person_body_date_and_case_number(self, client, login_as, rows):
        case_row, _, denied = rows
        login_as(Role.HUB_SUPERVISOR)
        url = reverse("audit:accesslog_list")
        assert {log.pk for log in client.get(url, {"person": "相談員甲"}).context["page"]} == {case_row.pk}
        clerk_body = Body.objects.get(code="dept-seikatsu-shien")
        assert {log.pk for log in client.get(url, {"body": clerk_body.pk}).context["page"]} == {denied.pk}
        assert {log.pk for log in client.get(url, {"target": "R6-0002"}).context["page"]} == {denied.pk}
        assert {log.pk for log in client.get(url, {"outcome": "denied"}).context["page"]} == {denied.pk}
        tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
        page = client.get(url, {"date_from": tomorrow}).context["page"]
        assert [log for log in page if log.case_ref] == []

    def test_bad_date_range_gets_a_japanese_message_and_no_rows(self, client, login_as, rows):
        login_as(Role.HUB_SUPERVISOR)
        response = client.get(reverse("audit:accesslog_list"), {"date_from": "2025-05-01", "date_to": "2025-04-01"})
        assert response.status_code == 200
        assert "開始日は終了日より前の日付にしてください。" in response.content.decode()
        assert response.context["page"].paginator.count == 0

    def test_opening_the_screen_is_itself_logged(self, client, login_as, rows):
        person = login_as(Role.HUB_SUPERVISOR)
        client.get(reverse("audit:accesslog_list"))
        assert AccessLog.objects.filter(user=person.user, action=AccessLog.Action.AUDIT).count() == 1

    def test_other_roles_get_403(self, client, login_as, rows):
        for role in (Role.HUB_WORKER, Role.DEPARTMENT_STAFF, Role.BUSINESS_MEMBER, Role.SYSADMIN):
            login_as(role)
            assert client.get(reverse("audit:accesslog_list")).status_code == 403

    def test_query_count_does_not_grow_with_rows(self, client, login_as, rows, django_assert_max_num_queries):
        person = login_as(Role.HUB_SUPERVISOR)
        for n in range(60):
            log_row(person.user, case_ref=f"case-{n}", label=f"R6-{n:04d}")
        with django_assert_max_num_queries(12):
            response = client.get(reverse("audit:accesslog_list"))
        # 60 + the two case rows of the fixture + the opening of this screen (a case auditor's openings
        # are case-side rows: their filters may name a case number).
        assert response.context["page"].paginator.count == 63
        assert len(response.context["page"]) == 50  # a page of rows (views.PAGE_SIZE)

    def test_wrong_method_is_405(self, client, login_as):
        login_as(Role.HUB_SUPERVISOR)
        assert client.post(reverse("audit:accesslog_list")).status_code == 405


@pytest.mark.django_db
def test_change_screen_names_who_changed_a_body(client, login_as, bodies):
    from registry import services

    editor = make_person(role=Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"), name="事務局丙")
    hub = Body.objects.get(code="hub")
    services.body_update(body=hub, by=editor.user, data={"phone": "048-775-0001"})
    login_as(Role.SECRETARIAT)
    response = client.get(reverse("audit:change_list"), {"person": "事務局丙"})
    records = [record for _, _, record in response.context["rows"]]
    assert any(r.id == hub.pk and r.history_user_id == editor.user.pk for r in records)
    assert all(r.history_user_id == editor.user.pk for r in records)


@pytest.mark.django_db
def test_change_screen_merges_the_newest_rows_of_every_table_in_a_fixed_number_of_queries(
    client, login_as, bodies, monkeypatch, django_assert_max_num_queries
):
    from audit import views
    from registry import services

    monkeypatch.setattr(views, "CHANGE_ROWS", 5)
    login_as(Role.SECRETARIAT)
    client.get(reverse("audit:change_list"))  # warm caches
    editor = make_person(role=Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"), name="事務局丁")
    hub = Body.objects.get(code="hub")
    for n in range(3):
        services.body_update(body=hub, by=editor.user, data={"phone": f"048-775-000{n}"})
    with django_assert_max_num_queries(10):  # one UNION over every history table, one for the actors
        response = client.get(reverse("audit:change_list"))
    rows = response.context["rows"]
    assert len(rows) == 5
    assert [at for at, _, _ in rows] == sorted((at for at, _, _ in rows), reverse=True)
    newest = [record for _, label, record in rows[:3]]
    assert all(r.id == hub.pk and r.username == editor.user.username for r in newest)
    assert all(r.body_name for r in newest)
    assert {label for _, label, _ in rows[:3]} == {Body._meta.verbose_name}


@pytest.mark.django_db
def test_signin_screen_lists_failures(client, login_as):
    client.post(reverse("login"), {"username": "ghost", "password": "wrong-password-123"})
    login_as(Role.SECRETARIAT)
    response = client.get(reverse("audit:signin_list"), {"kind": "failure"})
    assert [e.username for e in response.context["page"]] == ["ghost"]
